using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Http;
using Orchestrator.Common;
using Orchestrator.Queues;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Queues;

/// <summary>
/// The robots' takes and completions of one queue go to its grain many in one call while earlier calls are under way,
/// and each request still gets its own answer: the task it took, bound to its own job, or its completion stored.
/// </summary>
public abstract class QueueCallsTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Takes_and_completions_of_many_robots_share_grain_calls_and_each_robot_gets_and_completes_tasks_of_its_own()
    {
        const int Tasks = 240;
        const int Robots = 48;
        using var api = await fixture.NewAccountAsync();
        await api.PostAsync("/api/queue/create", """{"Name": "q"}""");
        var batch = string.Join(',', Enumerable.Range(0, Tasks).Select(i => $$"""{"Name": "t{{i}}", "QueueGuid": "q", "Priority": {{i % 3}}}"""));
        var created = (await api.PostAsync("/api/task/createBatch", $"[{batch}]")).EnumerateArray().Select(t => t.GetProperty("guid").GetGuid()).ToHashSet();
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robots = new List<(Guid Robot, Guid Job)>();
        for (var i = 0; i < Robots; i++)
        {
            var robot = await JobApiScenario.RobotAsync(api, $"r{i}");
            robots.Add((robot, await JobApiScenario.RunningJobAsync(api, process, robot)));
        }

        var calls = fixture.Host.Services.GetRequiredService<QueueCalls>();
        var (callsBefore, requestsBefore) = (calls.Calls, calls.Requests);

        // Each robot's loop, as the benchmark's: take for its job, complete with a result naming the job.
        var taken = await Task.WhenAll(robots.Select(async r =>
        {
            var mine = new List<Guid>();
            var take = JsonSerializer.Serialize(new { QueueGuid = "q", RobotGuid = r.Robot, JobGuid = r.Job });
            while (true)
            {
                using var response = await api.SendAsync(HttpMethod.Post, "/api/task/next", take);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return mine;
                }

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"next: {(int)response.StatusCode} {text}");
                var task = JsonDocument.Parse(text).RootElement;
                Assert.Equal(r.Job, task.GetProperty("job_id").GetGuid());
                Assert.Equal(r.Robot, task.GetProperty("robot_id").GetGuid());
                var guid = task.GetProperty("guid").GetGuid();
                mine.Add(guid);
                Assert.Equal(0, (await api.PutAsync("/api/task/update", $$$"""{"Guid": "{{{guid}}}", "Status": 2, "Result": {"job": "{{{r.Job}}}"}}""")).GetArrayLength());
            }
        }));

        // Every take (the last of each robot a 204) and every completion went through, in fewer calls than requests.
        var requests = calls.Requests - requestsBefore;
        var made = calls.Calls - callsBefore;
        Assert.Equal((2 * Tasks) + Robots, requests);
        Assert.True(made < requests * 3 / 4, $"{requests} takes and completions asked together took {made} calls to the queue's grain: they were not shared");

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(Tasks, all.Count);
        Assert.Equal(created, all.ToHashSet());
        var jobOf = robots.SelectMany((r, i) => taken[i].Select(task => (task, r.Job))).ToDictionary(p => p.task, p => p.Job);
        var done = await api.PostAsync($"/api/task/filter/list/q/status=2;take={Tasks}", "{}");
        Assert.Equal(Tasks, done.GetArrayLength());
        foreach (var task in done.EnumerateArray())
        {
            var guid = task.GetProperty("guid").GetGuid();
            Assert.Equal(jobOf[guid], task.GetProperty("job_id").GetGuid());
            Assert.Equal(jobOf[guid], task.GetProperty("result").GetProperty("job").GetGuid());
        }

        var counts = (await api.GetAsync("/api/queue/read/q")).GetProperty("tasks");
        Assert.Equal(Tasks, counts.GetProperty("successful").GetInt64());
        Assert.Equal(0, counts.GetProperty("in_progress").GetInt64());
    }

    [Fact]
    public async Task A_take_or_a_completion_asked_alone_is_sent_at_once_in_a_call_of_its_own()
    {
        using var api = await fixture.NewAccountAsync();
        var (queue, account, robot, job) = await QueueWithRunningJobAsync(api, tasks: 1);
        var calls = fixture.Host.Services.GetRequiredService<QueueCalls>();
        var (callsBefore, requestsBefore) = (calls.Calls, calls.Requests);

        // The call is on its way before the request's handler awaits: nothing waits for company, nor for a timer.
        var answer = calls.RunAsync(queue, account, QueueCall.TakeForJob(job, robot));
        Assert.Equal(callsBefore + 1, calls.Calls);
        var taken = await answer;
        Assert.Equal(WriteResult.Done, taken.Result);
        Assert.Equal("t0", taken.Task!.Name);
        Assert.Equal(job, taken.Task.JobGuid);

        var completion = calls.RunAsync(queue, account, QueueCall.UpdateTask(taken.Task.Guid, Completion("alone")));
        Assert.Equal(callsBefore + 2, calls.Calls);
        Assert.Equal(new QueueCallAnswer(WriteResult.Done, null), await completion);
        Assert.Equal(requestsBefore + 2, calls.Requests);
        Assert.Equal(2, (await api.GetAsync($"/api/task/read/{taken.Task.Guid}")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_error_of_a_shared_call_fails_each_request_it_carried_and_stores_none_of_them()
    {
        using var api = await fixture.NewAccountAsync();
        var (queue, account, robot, job) = await QueueWithRunningJobAsync(api, tasks: 5);
        var first = (await api.PostAsync("/api/task/next", JsonSerializer.Serialize(new { QueueGuid = queue, RobotGuid = robot, JobGuid = job }))).GetProperty("guid").GetGuid();

        // One call under way at a time: the first request goes alone, the three asked meanwhile together in the next.
        var calls = new QueueCalls(fixture.Host.Services.GetRequiredService<Resource<IQueueGrain>>(), Options.Create(new QueueOptions { CallsUnderWay = 1 }));
        var marker = $"refused-{Guid.NewGuid():N}";
        var database = fixture.Host.Services.GetRequiredService<OrchestratorDatabase>();
        await using var refusal = await RefusedResultAsync(database, marker);
        var alone = calls.RunAsync(queue, account, QueueCall.TakeForJob(job, robot));
        var shared = new[]
        {
            calls.RunAsync(queue, account, QueueCall.UpdateTask(first, Completion(marker))),
            calls.RunAsync(queue, account, QueueCall.TakeForJob(job, robot)),
            calls.RunAsync(queue, account, QueueCall.TakeForJob(job, robot)),
        };

        Assert.Equal(WriteResult.Done, (await alone).Result);

        // Each request carries the database's error as the grain met it (its message crosses silos as text).
        var errors = new List<Exception>();
        foreach (var request in shared)
        {
            errors.Add(await Assert.ThrowsAnyAsync<Exception>(() => request));
        }

        Assert.All(errors, e => Assert.Equal((errors[0].GetType(), errors[0].Message), (e.GetType(), e.Message)));
        Assert.Contains("refused by the test", errors[0].Message, StringComparison.Ordinal);

        Assert.Equal(2, calls.Calls);
        Assert.Equal(4, calls.Requests);

        // The shared call's batch was undone whole: the completion is not stored, and its takes took nothing.
        Assert.Equal(1, (await api.GetAsync($"/api/task/read/{first}")).GetProperty("status").GetInt32());
        var counts = (await api.GetAsync($"/api/queue/read/{queue}")).GetProperty("tasks");
        Assert.Equal(2, counts.GetProperty("in_progress").GetInt64());
        Assert.Equal(3, counts.GetProperty("new").GetInt64());
    }

    private static TaskChange Completion(string result) =>
        new(null, null, null, null, null, null, QueueTaskStatus.Successful, result, null, null);

    /// <summary>A queue of <paramref name="tasks"/> tasks (t0, t1, …) and a robot running a job, and the account's numeric id.</summary>
    private async Task<(Guid Queue, long Account, Guid Robot, Guid Job)> QueueWithRunningJobAsync(ApiClient api, int tasks)
    {
        var queue = (await api.PostAsync("/api/queue/create", """{"Name": "q"}""")).GetProperty("guid").GetGuid();
        for (var i = 0; i < tasks; i++)
        {
            await api.PostAsync("/api/task/create", $$"""{"Name": "t{{i}}", "QueueGuid": "q"}""");
        }

        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(api);
        var robot = await JobApiScenario.RobotAsync(api, "r");
        var job = await JobApiScenario.RunningJobAsync(api, process, robot);
        var database = fixture.Host.Services.GetRequiredService<OrchestratorDatabase>();
        var account = (await database.ScalarAsync("SELECT account_id FROM queues WHERE guid = @guid", ("@guid", queue)))!.Value;
        return (queue, account, robot, job);
    }

    /// <summary>Makes the database refuse any write of a task whose result is <paramref name="marker"/>, until disposed.</summary>
    private static async Task<IAsyncDisposable> RefusedResultAsync(OrchestratorDatabase database, string marker)
    {
        var name = $"refuse_{marker.Replace('-', '_')}";
        if (database.Kind == DatabaseKind.Sqlite)
        {
            await database.ExecuteAsync(
                $"CREATE TRIGGER {name} BEFORE UPDATE ON tasks WHEN NEW.result = '{marker}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
            return new Undo(() => database.ExecuteAsync($"DROP TRIGGER {name}"));
        }

        await database.ExecuteAsync(
            $"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.result = '{marker}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$");
        await database.ExecuteAsync($"CREATE TRIGGER {name} BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION {name}()");
        return new Undo(async () =>
        {
            await database.ExecuteAsync($"DROP TRIGGER {name} ON tasks");
            await database.ExecuteAsync($"DROP FUNCTION {name}()");
        });
    }

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedQueueCallsTests(EmbeddedFixture fixture) : QueueCallsTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresQueueCallsTests(PostgresFixture fixture) : QueueCallsTests(fixture);
