using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §3 through real HTTP; run on both wirings by the subclasses at the end of this file's folder.</summary>
public abstract class RobotApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Create_with_the_vendor_example_answers_the_new_robot()
    {
        using var api = await fixture.NewAccountAsync();

        var created = await api.PostAsync("/api/robot/create", """
            {
                "Name": "Test Robot",
                "Description": "My first Robot",
            }
            """);

        var guid = created.GetProperty("GUID").GetGuid();
        Assert.NotEqual(Guid.Empty, guid);
        Assert.Equal(guid, created.GetProperty("guid").GetGuid());
        Assert.Equal("Test Robot", created.GetProperty("Name").GetString());
        Assert.Equal("My first Robot", created.GetProperty("Description").GetString());
        Assert.Equal(0, created.GetProperty("Status").GetInt32());
    }

    [Fact]
    public async Task Read_answers_the_documented_fields_by_guid_and_by_numeric_id()
    {
        using var api = await fixture.NewAccountAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var created = await api.PostAsync("/api/robot/create", """{"Name": "r1", "Description": "d1"}""");
        var guid = created.GetProperty("GUID").GetGuid();

        var robot = await api.GetAsync($"/api/robot/read/{guid}");

        foreach (var field in new[] { "GUID", "Name", "Machine", "Status", "IP", "MAC", "Description", "LicenseExpiration", "LicenseString", "CreatedAt", "UpdatedAt", "LastHeartbeatAt" })
        {
            Assert.True(robot.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(guid, robot.GetProperty("GUID").GetGuid());
        Assert.Equal("r1", robot.GetProperty("Name").GetString());
        Assert.Equal((int)RobotStatus.Offline, robot.GetProperty("Status").GetInt32());
        Assert.InRange(robot.GetProperty("CreatedAt").GetInt64(), before - 1, before + 60);
        Assert.Equal(0, robot.GetProperty("LastHeartbeatAt").GetInt64());

        var byId = await api.GetAsync($"/api/robot/read/{created.GetProperty("id").GetInt64()}");
        Assert.Equal(guid, byId.GetProperty("GUID").GetGuid());
    }

    [Fact]
    public async Task List_answers_every_robot_in_id_order_and_pages_with_skip_and_take()
    {
        using var api = await fixture.NewAccountAsync();
        var guids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            guids.Add((await api.PostAsync("/api/robot/create", $$"""{"Name": "robot {{i}}"}""")).GetProperty("GUID").GetGuid());
        }

        var all = await api.GetAsync("/api/robot/read");
        Assert.Equal(guids, all.EnumerateArray().Select(r => r.GetProperty("GUID").GetGuid()));

        var page = await api.GetAsync("/api/robot/read?skip=1&take=2");
        Assert.Equal(guids.Skip(1).Take(2), page.EnumerateArray().Select(r => r.GetProperty("GUID").GetGuid()));

        var rest = await api.GetAsync("/api/robot/read?skip=3");
        Assert.Equal(guids.Skip(3), rest.EnumerateArray().Select(r => r.GetProperty("GUID").GetGuid()));
    }

    [Fact]
    public async Task List_filters_by_status_and_by_group()
    {
        using var api = await fixture.NewAccountAsync();
        var alive = (await api.PostAsync("/api/robot/create", """{"Name": "alive"}""")).GetProperty("GUID").GetGuid();
        var silent = (await api.PostAsync("/api/robot/create", """{"Name": "silent"}""")).GetProperty("GUID").GetGuid();
        var disabled = (await api.PostAsync("/api/robot/create", """{"Name": "disabled"}""")).GetProperty("GUID").GetGuid();
        await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{alive}}"}""");
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{disabled}}", "STATUS": 4}""");
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{silent}}"}""");

        Assert.Equal([alive], ListAnswer.Guids(await api.GetAsync("/api/robot/read?status=1"), "GUID"));
        Assert.Equal([silent], ListAnswer.Guids(await api.GetAsync("/api/robot/read?status=0"), "GUID"));
        Assert.Equal([disabled], ListAnswer.Guids(await api.GetAsync("/api/robot/read?status=4"), "GUID"));
        Assert.Equal([silent], ListAnswer.Guids(await api.GetAsync($"/api/robot/read?group={group}"), "GUID"));
    }

    [Fact]
    public async Task Update_with_the_vendor_example_renames_the_robot()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "old name", "Description": "kept"}""")).GetProperty("GUID").GetGuid();

        var answer = await api.PutAsync("/api/robot/update", $$"""
                    { "GUID": "{{guid}}",
                    "Name": "Test Robot",
                    }
            """);

        Assert.Equal(JsonValueKind.Array, answer.ValueKind);
        Assert.Equal(0, answer.GetArrayLength());
        var robot = await api.GetAsync($"/api/robot/read/{guid}");
        Assert.Equal("Test Robot", robot.GetProperty("Name").GetString());
        Assert.Equal("kept", robot.GetProperty("Description").GetString());
    }

    [Fact]
    public async Task Update_setStatus_heartbeat_getStatus_and_delete_take_the_robots_numeric_id()
    {
        using var api = await fixture.NewAccountAsync();
        var other = (await api.PostAsync("/api/robot/create", """{"Name": "other"}""")).GetProperty("GUID").GetGuid();
        var created = await api.PostAsync("/api/robot/create", """{"Name": "numbered", "Description": "d"}""");
        var guid = created.GetProperty("GUID").GetGuid();
        var id = created.GetProperty("id").GetInt64();

        // The id as a JSON number and as a string: the document's examples send both kinds of value.
        await api.PutAsync("/api/robot/update", $$"""{"GUID": {{id}}, "Name": "renamed by id"}""");
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{id}}", "STATUS": 4}""");
        Assert.Equal(4, (await api.GetAsync($"/api/robot/getStatus/{id}")).GetProperty("Status").GetInt32());
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": {{id}}, "STATUS": 1}""");
        var beat = await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{id}}", "Machine": "WS-ID"}""");
        Assert.Equal(1, beat.GetProperty("Status").GetInt32());

        var read = await api.GetAsync($"/api/robot/read/{guid}");
        Assert.Equal("renamed by id", read.GetProperty("Name").GetString());
        Assert.Equal("WS-ID", read.GetProperty("Machine").GetString());
        Assert.Equal(1, read.GetProperty("Status").GetInt32());
        var untouched = await api.GetAsync($"/api/robot/read/{other}");
        Assert.Equal("other", untouched.GetProperty("Name").GetString());
        Assert.Equal(0, untouched.GetProperty("Status").GetInt32());
        Assert.Equal("", untouched.GetProperty("Machine").GetString());

        await api.DeleteAsync($"/api/robot/delete/{id}");
        await api.GetAsync($"/api/robot/read/{guid}", HttpStatusCode.NotFound);
        Assert.Equal([other], ListAnswer.Guids(await api.GetAsync("/api/robot/read"), "GUID"));
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_until_the_first_robot_is_deleted()
    {
        using var api = await fixture.NewAccountAsync();
        var first = (await api.PostAsync("/api/robot/create", """{"Name": "twin"}""")).GetProperty("GUID").GetGuid();
        var other = (await api.PostAsync("/api/robot/create", """{"Name": "other"}""")).GetProperty("GUID").GetGuid();

        var conflict = await api.PostAsync("/api/robot/create", """{"Name": "twin"}""", HttpStatusCode.Conflict);
        Assert.Equal("Name", conflict.GetProperty("field").GetString());
        await api.PutAsync("/api/robot/update", $$"""{"GUID": "{{other}}", "Name": "twin"}""", HttpStatusCode.Conflict);

        await api.DeleteAsync($"/api/robot/delete/{first}");
        await api.PostAsync("/api/robot/create", """{"Name": "twin"}""");
    }

    [Fact]
    public async Task Delete_removes_the_robot_from_reads_and_lists()
    {
        using var api = await fixture.NewAccountAsync();
        var created = await api.PostAsync("/api/robot/create", """{"Name": "doomed"}""");
        var guid = created.GetProperty("GUID").GetGuid();

        var answer = await api.DeleteAsync($"/api/robot/delete/{guid}");

        Assert.Equal(0, answer.GetArrayLength());
        await api.GetAsync($"/api/robot/read/{guid}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/robot/read/{created.GetProperty("id").GetInt64()}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/robot/getStatus/{guid}", HttpStatusCode.NotFound);
        await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}"}""", HttpStatusCode.NotFound);
        Assert.Empty(ListAnswer.Guids(await api.GetAsync("/api/robot/read"), "GUID"));
        await api.DeleteAsync($"/api/robot/delete/{guid}", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Disabled_is_sticky_across_heartbeats_until_the_robot_is_enabled_again()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        Assert.Equal(0, (await api.GetAsync($"/api/robot/getStatus/{guid}")).GetProperty("Status").GetInt32());

        // The document's own spelling: STATUS, the value as a string, a trailing comma.
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{guid}}", "STATUS": "4",}""");
        var beat = await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}"}""");
        Assert.Equal(4, beat.GetProperty("Status").GetInt32());
        Assert.Equal(4, (await api.GetAsync($"/api/robot/getStatus/{guid}")).GetProperty("Status").GetInt32());

        await api.PutAsync("/api/robot/setStatus", $$"""
                {
                "GUID": "{{guid}}",
                "Status": 1,
                }
            """);
        Assert.Equal(1, (await api.GetAsync($"/api/robot/getStatus/{guid}")).GetProperty("Status").GetInt32());
    }

    [Fact]
    public async Task Heartbeat_makes_the_robot_available_and_records_what_it_reports()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();

        var beat = await api.PostAsync("/api/robot/heartbeat", $$"""
            {"guid": "{{guid}}", "Machine": "WS-042", "IP": "10.1.2.3", "MAC": "00:11:22:33:44:55", "Version": "2.4.1"}
            """);

        Assert.Equal(1, beat.GetProperty("Status").GetInt32());
        Assert.Equal(15, beat.GetProperty("HeartbeatInterval").GetInt32());
        Assert.Equal(0, beat.GetProperty("Commands").GetArrayLength());
        var robot = await api.GetAsync($"/api/robot/read/{guid}");
        Assert.Equal(1, robot.GetProperty("Status").GetInt32());
        Assert.Equal("WS-042", robot.GetProperty("Machine").GetString());
        Assert.Equal("10.1.2.3", robot.GetProperty("IP").GetString());
        Assert.Equal("00:11:22:33:44:55", robot.GetProperty("MAC").GetString());
        Assert.InRange(robot.GetProperty("LastHeartbeatAt").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task A_waiting_heartbeat_returns_as_soon_as_a_command_is_queued()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        var job = Guid.NewGuid();
        var robot = fixture.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(guid);
        var watch = LongPollProbe.Instance.Watch(robot);

        var waiting = api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Wait": 50}""");
        await watch.WaitingAsync();
        await robot.EnqueueCommandAsync(new RobotCommand("StopJob", job));

        // The poll waits in 20-second slices, twice as long as the test is patient: only the command can end it in time.
        var beat = await waiting.WaitAsync(LongPollWatch.Patience);
        Assert.True(await watch.EndedAsync());
        var command = Assert.Single(beat.GetProperty("Commands").EnumerateArray());
        Assert.Equal("StopJob", command.GetProperty("Type").GetString());
        Assert.Equal(job, command.GetProperty("JobGUID").GetGuid());

        // Delivered once: the next heartbeat has nothing.
        var next = await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}"}""");
        Assert.Equal(0, next.GetProperty("Commands").GetArrayLength());
    }

    [Fact]
    public async Task A_robot_that_sends_Ack_gets_each_command_until_it_acknowledges_it()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        var job = Guid.NewGuid();
        await fixture.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(guid).EnqueueCommandAsync(new RobotCommand("StopJob", job));

        var first = Assert.Single((await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Ack": 0}""")).GetProperty("Commands").EnumerateArray());
        var again = Assert.Single((await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Ack": "0"}""")).GetProperty("Commands").EnumerateArray());
        var seq = first.GetProperty("Seq").GetInt64();
        var acknowledged = await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Ack": {{seq}}}""");

        Assert.Equal(job, first.GetProperty("JobGUID").GetGuid());
        Assert.Equal(seq, again.GetProperty("Seq").GetInt64());
        Assert.Equal(0, acknowledged.GetProperty("Commands").GetArrayLength());
        await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Ack": -1}""", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Deleting_a_robot_ends_its_waiting_heartbeat_with_404()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();

        var watch = LongPollProbe.Instance.Watch(fixture.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IRobotGrain>(guid));

        var waiting = api.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Wait": 50}""");
        await watch.WaitingAsync();
        await api.DeleteAsync($"/api/robot/delete/{guid}");

        // Woken by the delete, well inside the poll's first 20-second slice.
        using var response = await waiting.WaitAsync(LongPollWatch.Patience);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await watch.EndedAsync());
    }

    [Fact]
    public async Task A_waiting_heartbeat_with_nothing_queued_answers_after_its_wait()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();

        var clock = Stopwatch.StartNew();
        var beat = await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{guid}}", "Wait": "1"}""");

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}, before its Wait");
        Assert.Equal(0, beat.GetProperty("Commands").GetArrayLength());
        Assert.Equal(1, beat.GetProperty("Status").GetInt32());
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedRobotApiTests(EmbeddedFixture fixture) : RobotApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRobotApiTests(PostgresFixture fixture) : RobotApiTests(fixture);
