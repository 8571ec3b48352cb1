using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §4 through real HTTP, on both wirings.</summary>
public abstract class RobotGroupApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Create_with_the_vendor_example_answers_the_guid_and_read_answers_the_documented_fields()
    {
        using var api = await fixture.NewAccountAsync();

        var created = await api.PostAsync("/api/robotGroup/create", """
                {
                    "Name": "Test Robots",
                }
            """);
        var guid = created.GetProperty("GUID").GetGuid();
        var group = await api.GetAsync($"/api/robotGroup/read/{guid}");

        Assert.Equal(guid, group.GetProperty("guid").GetGuid());
        Assert.Equal(created.GetProperty("id").GetInt64(), group.GetProperty("id").GetInt64());
        Assert.Equal("Test Robots", group.GetProperty("name").GetString());
        Assert.Equal("", group.GetProperty("description").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", group.GetProperty("created").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", group.GetProperty("updated").GetString());
        Assert.Equal(0, group.GetProperty("is_deleted").GetInt32());
        Assert.True(group.GetProperty("account_id").GetInt64() > 0);
        Assert.Equal(0, group.GetProperty("robots").GetArrayLength());
    }

    [Fact]
    public async Task Update_with_the_vendor_example_renames_the_group()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/robotGroup/create", """{"Name": "before", "Description": "Test Description"}""")).GetProperty("GUID").GetGuid();

        await api.PutAsync("/api/robotGroup/update", $$"""
                {
                "Guid": "{{guid}}",
                "Name": "Test Robot Group",
                }
            """);

        var group = await api.GetAsync($"/api/robotGroup/read/{guid}");
        Assert.Equal("Test Robot Group", group.GetProperty("name").GetString());
        Assert.Equal("Test Description", group.GetProperty("description").GetString());
    }

    [Fact]
    public async Task AddRobot_is_idempotent_and_removeRobot_takes_the_robot_out()
    {
        using var api = await fixture.NewAccountAsync();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();
        var robot = await api.PostAsync("/api/robot/create", """{"Name": "r"}""");
        var robotGuid = robot.GetProperty("GUID").GetGuid();

        var body = $$"""
                {
                "RobotGroupGuid": "{{group}}",
                "RobotGuid": "{{robotGuid}}",
                }
            """;
        Assert.Equal(0, (await api.PutAsync("/api/robotGroup/addRobot", body)).GetArrayLength());
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": {{robot.GetProperty("id").GetInt64()}}}""");
        Assert.Equal([robotGuid], Members(await api.GetAsync($"/api/robotGroup/read/{group}")));

        Assert.Equal(0, (await api.DeleteAsync("/api/robotGroup/removeRobot", body)).GetArrayLength());
        Assert.Empty(Members(await api.GetAsync($"/api/robotGroup/read/{group}")));
    }

    [Fact]
    public async Task A_groups_numeric_id_works_in_paths_bodies_and_the_robot_filter()
    {
        using var api = await fixture.NewAccountAsync();
        var first = (await api.PostAsync("/api/robotGroup/create", """{"Name": "first"}""")).GetProperty("GUID").GetGuid();
        var created = await api.PostAsync("/api/robotGroup/create", """{"Name": "second", "Description": "kept"}""");
        var guid = created.GetProperty("GUID").GetGuid();
        var id = created.GetProperty("id").GetInt64();
        var robot = await api.PostAsync("/api/robot/create", """{"Name": "r"}""");
        var robotGuid = robot.GetProperty("GUID").GetGuid();
        var robotId = robot.GetProperty("id").GetInt64();

        Assert.Equal(guid, (await api.GetAsync($"/api/robotGroup/read/{id}")).GetProperty("guid").GetGuid());
        await api.PutAsync("/api/robotGroup/update", $$"""{"GUID": {{id}}, "Name": "renamed by id"}""");
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{id}}", "RobotGuid": {{robotId}}}""");

        var read = await api.GetAsync($"/api/robotGroup/read/{guid}");
        Assert.Equal("renamed by id", read.GetProperty("name").GetString());
        Assert.Equal("kept", read.GetProperty("description").GetString());
        Assert.Equal([robotGuid], Members(read));
        Assert.Equal([robotGuid], (await api.GetAsync($"/api/robot/read?group={id}")).EnumerateArray().Select(r => r.GetProperty("GUID").GetGuid()));
        var untouched = await api.GetAsync($"/api/robotGroup/read/{first}");
        Assert.Equal("first", untouched.GetProperty("name").GetString());
        Assert.Empty(Members(untouched));

        await api.DeleteAsync("/api/robotGroup/removeRobot", $$"""{"RobotGroupGuid": {{id}}, "RobotGuid": "{{robotId}}"}""");
        Assert.Empty(Members(await api.GetAsync($"/api/robotGroup/read/{guid}")));
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": {{id}}, "RobotGuid": "{{robotGuid}}"}""");
        await api.DeleteAsync($"/api/robotGroup/delete/{id}", $$"""{"RobotGuid": {{robotId}}}""");
        Assert.Empty(Members(await api.GetAsync($"/api/robotGroup/read/{guid}")));

        await api.DeleteAsync($"/api/robotGroup/delete/{id}");
        await api.GetAsync($"/api/robotGroup/read/{guid}", HttpStatusCode.NotFound);
        Assert.Equal([first], (await api.GetAsync("/api/robotGroup/list")).EnumerateArray().Select(g => g.GetProperty("guid").GetGuid()));
    }

    [Fact]
    public async Task Delete_with_a_robot_in_the_body_removes_the_robot_as_the_vendor_document_lists_it()
    {
        using var api = await fixture.NewAccountAsync();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");

        await api.DeleteAsync($"/api/robotGroup/delete/{group}", $$"""
                { 
                "RobotGroupGuid": "{{group}}",
                "RobotGuid": "{{robot}}",
                } 
            """);

        var read = await api.GetAsync($"/api/robotGroup/read/{group}");
        Assert.Empty(Members(read));
        await api.GetAsync($"/api/robot/read/{robot}");
    }

    [Theory]
    [InlineData("{\"RobotGuid\": null}")]
    [InlineData("{\"RobotGuid\": \"  \"}")]
    [InlineData("{\"RobotGroupGuid\": \"x\", \"RobotGuid\": \"\"}")]
    public async Task Delete_with_a_blank_robot_in_the_body_is_refused_and_keeps_the_group(string body)
    {
        using var api = await fixture.NewAccountAsync();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();

        var problem = await api.DeleteAsync($"/api/robotGroup/delete/{group}", body, HttpStatusCode.BadRequest);

        ProblemAssert.NamesField(problem, "RobotGuid");
        await api.GetAsync($"/api/robotGroup/read/{group}");
    }

    [Fact]
    public async Task Delete_without_a_body_deletes_the_group()
    {
        using var api = await fixture.NewAccountAsync();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();

        Assert.Equal(0, (await api.DeleteAsync($"/api/robotGroup/delete/{group}")).GetArrayLength());

        await api.GetAsync($"/api/robotGroup/read/{group}", HttpStatusCode.NotFound);
        Assert.Equal(0, (await api.GetAsync("/api/robotGroup/list")).GetArrayLength());
        await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""");
    }

    [Fact]
    public async Task The_vendor_examples_invalid_robot_guid_is_a_4xx_naming_the_field()
    {
        using var api = await fixture.NewAccountAsync();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();

        // Verbatim: the document's robot GUID has one digit too many; the request is refused before any look-up.
        var problem = await api.PutAsync("/api/robotGroup/addRobot", """
                { 
                "RobotGroupGuid": "554ab883-1f82-48e1-bb12-5049002e7d70",
                "RobotGuid": "554ab883-1f82-48e1-bb12-50490343454d70",
                } 
            """, HttpStatusCode.BadRequest);
        ProblemAssert.NamesField(problem, "RobotGuid");

        // With a well-formed robot, the document's group GUID names no group of this account.
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""
                {"RobotGroupGuid": "554ab883-1f82-48e1-bb12-5049002e7d70", "RobotGuid": "{{robot}}"}
            """, HttpStatusCode.NotFound);
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
    }

    [Fact]
    public async Task List_answers_the_groups_with_their_members()
    {
        using var api = await fixture.NewAccountAsync();
        var first = (await api.PostAsync("/api/robotGroup/create", """{"Name": "first"}""")).GetProperty("GUID").GetGuid();
        var second = (await api.PostAsync("/api/robotGroup/create", """{"Name": "second"}""")).GetProperty("GUID").GetGuid();
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{second}}", "RobotGuid": "{{robot}}"}""");

        var list = (await api.GetAsync("/api/robotGroup/list")).EnumerateArray().ToList();

        Assert.Equal([first, second], list.Select(g => g.GetProperty("guid").GetGuid()));
        Assert.Empty(Members(list[0]));
        Assert.Equal([robot], Members(list[1]));
        Assert.Equal([second], (await api.GetAsync("/api/robotGroup/list?skip=1&take=5")).EnumerateArray().Select(g => g.GetProperty("guid").GetGuid()));
    }

    [Fact]
    public async Task A_deleted_robot_leaves_its_groups()
    {
        using var api = await fixture.NewAccountAsync();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");

        await api.DeleteAsync($"/api/robot/delete/{robot}");

        Assert.Empty(Members(await api.GetAsync($"/api/robotGroup/read/{group}")));
    }

    private static List<Guid> Members(JsonElement group) => group.GetProperty("robots").EnumerateArray().Select(r => r.GetGuid()).ToList();
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedRobotGroupApiTests(EmbeddedFixture fixture) : RobotGroupApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRobotGroupApiTests(PostgresFixture fixture) : RobotGroupApiTests(fixture);
