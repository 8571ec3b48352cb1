using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Queues;

/// <summary>API.md §8 through real HTTP, on both wirings.</summary>
public abstract class QueueApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Create_answers_the_guid_and_read_by_guid_id_or_name_answers_the_documented_fields()
    {
        using var api = await fixture.NewAccountAsync();

        var created = await api.PostAsync("/api/queue/create", """{"Name": "Invoices", "Description": "Q1", "UniqueTasks": "1", "AutoChangeStatus": 0,}""");
        var guid = created.GetProperty("guid").GetGuid();
        Assert.Equal(guid, created.GetProperty("GUID").GetGuid());
        var id = created.GetProperty("id").GetInt64();

        foreach (var reference in new[] { guid.ToString(), id.ToString(), "Invoices" })
        {
            var queue = await api.GetAsync($"/api/queue/read/{reference}");
            Assert.Equal(guid, queue.GetProperty("guid").GetGuid());
            Assert.Equal(id, queue.GetProperty("id").GetInt64());
            Assert.Equal("Invoices", queue.GetProperty("name").GetString());
            Assert.Equal("Q1", queue.GetProperty("description").GetString());
            Assert.Equal(1, queue.GetProperty("unique_tasks").GetInt32());
            Assert.Equal(0, queue.GetProperty("auto_change_status").GetInt32());
            Assert.Equal(0, queue.GetProperty("tasks").GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task Read_counts_the_live_tasks_in_each_status()
    {
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        for (var i = 0; i < 5; i++)
        {
            await api.PostAsync("/api/task/create", $$"""{"Name": "t{{i}}", "QueueGuid": "q"}""");
        }

        var first = (await api.PostAsync("/api/task/next", """{"QueueGuid": "q"}""")).GetProperty("guid").GetGuid();
        var second = (await api.PostAsync("/api/task/next", """{"QueueGuid": "q"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/task/next", """{"QueueGuid": "q"}""");
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{first}}", "Status": 2}""");
        await api.PutAsync("/api/task/update", $$"""{"Guid": "{{second}}", "Status": 3}""");
        var fifth = (await api.PostAsync("/api/task/filter/list/q/status=0", "{}"))[0].GetProperty("guid").GetGuid();
        await api.DeleteAsync($"/api/task/delete/{fifth}");

        var counts = (await api.GetAsync("/api/queue/read/q")).GetProperty("tasks");
        Assert.Equal(1, counts.GetProperty("new").GetInt64());
        Assert.Equal(1, counts.GetProperty("in_progress").GetInt64());
        Assert.Equal(1, counts.GetProperty("successful").GetInt64());
        Assert.Equal(1, counts.GetProperty("failed").GetInt64());
        Assert.Equal(4, counts.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Update_list_and_delete()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/queue/create", """{"Name": "before"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/queue/create", """{"Name": "other"}""");

        Assert.Equal(0, (await api.PutAsync("/api/queue/update", $$"""{"Guid": "{{guid}}", "Name": "after", "AutoChangeStatus": true}""")).GetArrayLength());

        var queue = await api.GetAsync("/api/queue/read/after");
        Assert.Equal(1, queue.GetProperty("auto_change_status").GetInt32());
        Assert.Equal(0, queue.GetProperty("unique_tasks").GetInt32());
        var list = await api.GetAsync("/api/queue/list");
        Assert.Equal(["after", "other"], list.EnumerateArray().Select(q => q.GetProperty("name").GetString()));
        Assert.Equal(1, (await api.GetAsync("/api/queue/list?skip=1&take=5")).GetArrayLength());

        Assert.Equal(0, (await api.DeleteAsync($"/api/queue/delete/{guid}")).GetArrayLength());
        await api.GetAsync($"/api/queue/read/{guid}", HttpStatusCode.NotFound);
        await api.GetAsync("/api/queue/read/after", HttpStatusCode.NotFound);
        Assert.Equal(1, (await api.GetAsync("/api/queue/list")).GetArrayLength());
        await api.PostAsync("/api/queue/create", """{"Name": "after"}""");
    }

    [Fact]
    public async Task Deleting_a_queue_deletes_its_tasks_past_a_chunk_so_none_is_read_listed_or_taken()
    {
        using var api = await fixture.NewAccountAsync();
        var queue = await api.PostAsync("/api/queue/create", """{"Name": "q", "UniqueTasks": 1}""");
        for (var b = 0; b < 6; b++)
        {
            var batch = string.Join(',', Enumerable.Range(0, 1000).Select(i => $$"""{"Name": "t{{b}}-{{i}}", "QueueGuid": "q"}"""));
            await api.PostAsync("/api/task/createBatch", $"[{batch}]");
        }

        var taken = (await TaskScenario.TakeAsync(api, "q"))!.Value.GetProperty("guid").GetGuid();

        await api.DeleteAsync("/api/queue/delete/q");

        var database = fixture.Hosts[0].Services.GetRequiredService<OrchestratorDatabase>();
        Assert.Equal(0, await database.ScalarAsync(
            "SELECT COUNT(*) FROM tasks WHERE queue_id = @queue AND is_deleted = 0", ("@queue", queue.GetProperty("id").GetInt64())));
        await api.GetAsync($"/api/task/read/{taken}", HttpStatusCode.NotFound);
        await api.GetAsync("/api/task/read/t5-999", HttpStatusCode.NotFound);

        // A new queue of the same name starts empty, and its unique names are free again.
        await api.PostAsync("/api/queue/create", """{"Name": "q", "UniqueTasks": 1}""");
        await api.PostAsync("/api/task/create", """{"Name": "t0-0", "QueueGuid": "q"}""");
        Assert.Equal(1, (await api.GetAsync("/api/queue/read/q")).GetProperty("tasks").GetProperty("total").GetInt64());
        Assert.Equal(1, (await api.PostAsync("/api/task/filter/list/q", "{}")).GetArrayLength());
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_and_turning_unique_tasks_on_over_duplicates_too()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/queue/create", """{"Name": "q"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""", HttpStatusCode.Conflict);
        await api.PostAsync("/api/task/create", """{"Name": "same", "QueueGuid": "q"}""");
        await api.PostAsync("/api/task/create", """{"Name": "same", "QueueGuid": "q"}""");

        var problem = await api.PutAsync("/api/queue/update", $$"""{"Guid": "{{guid}}", "UniqueTasks": 1}""", HttpStatusCode.Conflict);

        Assert.Equal("UniqueTasks", problem.GetProperty("field").GetString());
        Assert.Equal(0, (await api.GetAsync("/api/queue/read/q")).GetProperty("unique_tasks").GetInt32());
    }

    [Fact]
    public async Task An_update_refused_for_its_name_changes_neither_the_queue_nor_its_tasks_unique_names()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/queue/create", """{"Name": "q", "UniqueTasks": 1}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/queue/create", """{"Name": "taken"}""");
        await api.PostAsync("/api/task/create", """{"Name": "only-one", "QueueGuid": "q"}""");

        var problem = await api.PutAsync("/api/queue/update", $$"""{"Guid": "{{guid}}", "UniqueTasks": 0, "Name": "taken"}""", HttpStatusCode.Conflict);

        Assert.Equal("Name", problem.GetProperty("field").GetString());
        var queue = await api.GetAsync($"/api/queue/read/{guid}");
        Assert.Equal("q", queue.GetProperty("name").GetString());
        Assert.Equal(1, queue.GetProperty("unique_tasks").GetInt32());
        await api.PostAsync("/api/task/create", """{"Name": "only-one", "QueueGuid": "q"}""", HttpStatusCode.Conflict);

        // Accepted, both change together.
        await api.PutAsync("/api/queue/update", $$"""{"Guid": "{{guid}}", "UniqueTasks": 0, "Name": "renamed"}""");
        Assert.Equal(0, (await api.GetAsync("/api/queue/read/renamed")).GetProperty("unique_tasks").GetInt32());
        await api.PostAsync("/api/task/create", """{"Name": "only-one", "QueueGuid": "renamed"}""");
    }

    [Fact]
    public async Task A_body_after_a_byte_order_mark_is_read_as_any_other()
    {
        using var api = await fixture.NewAccountAsync();

        await api.PostAsync("/api/queue/create", "\uFEFF{\"Name\": \"bom\"}");

        Assert.Equal("bom", (await api.GetAsync("/api/queue/read/bom")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_name_with_a_slash_is_read_listed_and_deleted_through_its_escaped_path()
    {
        using var api = await fixture.NewAccountAsync();
        var queue = (await api.PostAsync("/api/queue/create", """{"Name": "a/b"}""")).GetProperty("guid").GetGuid();
        await api.PostAsync("/api/queue/create", """{"Name": "100%"}""");
        await api.PostAsync("/api/task/create", """{"Name": "x/y", "QueueGuid": "a/b"}""");

        Assert.Equal(queue, (await api.GetAsync("/api/queue/read/a%2Fb")).GetProperty("guid").GetGuid());
        Assert.Equal("100%", (await api.GetAsync("/api/queue/read/100%25")).GetProperty("name").GetString());
        Assert.Equal("x/y", (await api.PostAsync("/api/task/filter/list/a%2Fb", "{}"))[0].GetProperty("name").GetString());
        Assert.Equal("x/y", (await api.PostAsync("/api/task/filter/list/a%2fb/name=x%2Fy", "{}"))[0].GetProperty("name").GetString());
        Assert.Equal("x/y", (await api.GetAsync("/api/task/read/x%2Fy")).GetProperty("name").GetString());
        Assert.Equal("1", (await api.DeleteAsync("/api/task/delete/x%2Fy")).GetProperty("result").GetString());
        await api.GetAsync("/api/task/read/x%2Fy", HttpStatusCode.NotFound);
        Assert.Equal(0, (await api.DeleteAsync("/api/queue/delete/a%2Fb")).GetArrayLength());
        await api.GetAsync($"/api/queue/read/{queue}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_accounts_queue_is_not_found()
    {
        using var owner = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var guid = (await owner.PostAsync("/api/queue/create", """{"Name": "mine"}""")).GetProperty("guid").GetGuid();

        await other.GetAsync($"/api/queue/read/{guid}", HttpStatusCode.NotFound);
        await other.GetAsync("/api/queue/read/mine", HttpStatusCode.NotFound);
        await other.PutAsync("/api/queue/update", $$"""{"Guid": "{{guid}}", "Name": "x"}""", HttpStatusCode.NotFound);
        await other.DeleteAsync($"/api/queue/delete/{guid}", expected: HttpStatusCode.NotFound);
        await other.PostAsync("/api/task/create", $$"""{"Name": "t", "QueueGuid": "{{guid}}"}""", HttpStatusCode.NotFound);
        await other.JsonAsync(HttpMethod.Post, "/api/task/next", $$"""{"QueueGuid": "{{guid}}"}""", HttpStatusCode.NotFound);
        await other.PostAsync($"/api/task/filter/list/{guid}", "{}", HttpStatusCode.NotFound);
        Assert.Equal(0, (await other.GetAsync("/api/queue/list")).GetArrayLength());
        Assert.Equal("mine", (await owner.GetAsync($"/api/queue/read/{guid}")).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/api/queue/create", "POST", """{"Description": "no name"}""", "Name")]
    [InlineData("/api/queue/create", "POST", """{"Name": "q", "UniqueTasks": 2}""", "UniqueTasks")]
    [InlineData("/api/queue/create", "POST", """{"Name": "q", "AutoChangeStatus": "maybe"}""", "AutoChangeStatus")]
    [InlineData("/api/queue/create", "POST", """{"Name": ["q"]}""", "Name")]
    [InlineData("/api/queue/update", "PUT", """{"Name": "q"}""", "Guid")]
    [InlineData("/api/queue/update", "PUT", """{"Guid": "not-a-guid!", "UniqueTasks": "x"}""", "UniqueTasks")]
    public async Task Bad_input_is_a_400_naming_the_field(string path, string method, string body, string field)
    {
        using var api = await fixture.NewAccountAsync();

        var problem = await api.JsonAsync(new HttpMethod(method), path, body, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedQueueApiTests(EmbeddedFixture fixture) : QueueApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresQueueApiTests(PostgresFixture fixture) : QueueApiTests(fixture);
