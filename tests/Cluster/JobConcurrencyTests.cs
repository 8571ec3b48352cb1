using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>
/// Many jobs and many robots on two silos, with heartbeats, creates and cancels racing through both: no robot
/// is ever handed a job while it holds another, no job is started twice, and every job that was not cancelled ends.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class JobConcurrencyTests(PostgresFixture fixture)
{
    private const int Robots = 8;
    private const int Jobs = 60;

    [Fact]
    public async Task Racing_heartbeats_creates_and_cancels_on_two_silos_never_double_lease_or_double_start()
    {
        using var first = await fixture.NewAccountAsync(fixture.Hosts[0]);
        using var second = fixture.Hosts[1].Client(first.Key!);
        ApiClient[] silos = [first, second];
        var (process, _) = await JobApiScenario.ProcessWithVersionAsync(first);
        var group = (await first.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("guid").GetGuid();
        var robots = new List<Guid>();
        for (var i = 0; i < Robots; i++)
        {
            var robot = await JobApiScenario.RobotAsync(silos[i % 2], $"r{i}");
            if (i % 2 == 0)
            {
                await first.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
            }

            robots.Add(robot);
        }

        var starts = new ConcurrentDictionary<Guid, int>();
        var violations = new ConcurrentQueue<string>();
        var created = new ConcurrentBag<Guid>();
        var cancelled = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var allCreated = new TaskCompletionSource();

        var creating = Task.Run(async () =>
        {
            await Parallel.ForAsync(0, Jobs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            {
                var target = (i % 3) switch
                {
                    0 => $", \"RobotGuid\": \"{robots[i % Robots]}\"",
                    1 => $", \"RobotGroupGuid\": \"{group}\"",
                    _ => string.Empty,
                };
                var job = await JobApiScenario.CreateJobAsync(silos[i % 2], $$"""{"ProcessGuid": "{{process}}", "Priority": {{i % 3}}{{target}}}""");
                created.Add(job);
                if (i % 7 == 0)
                {
                    // Cancel while it may be being leased: either the cancel wins (8) or it was already running (409).
                    using var response = await silos[(i + 1) % 2].SendAsync(
                        HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = job, Status = 8 }));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        cancelled.Add(job);
                    }
                }
            });
            allCreated.SetResult();
        });

        var running = robots.Select((robot, index) => Task.Run(() => RunRobotAsync(robot, index, silos, starts, violations, stop.Token))).ToList();
        await creating;

        // Every job ends: done by a robot, or cancelled before it started.
        var deadline = DateTime.UtcNow.AddSeconds(45);
        List<JsonElement> jobs;
        while ((jobs = (await first.GetAsync("/api/job/list?take=1000")).EnumerateArray().ToList()).Any(j => j.GetProperty("status").GetInt32() is not (2 or 8 or 7))
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(running);

        Assert.Empty(violations);
        Assert.Equal(Jobs, jobs.Count);
        Assert.All(jobs, j => Assert.True(j.GetProperty("status").GetInt32() is 2 or 8 or 7, j.GetRawText()));
        Assert.All(starts, s => Assert.Equal(1, s.Value));
        var successful = jobs.Where(j => j.GetProperty("status").GetInt32() == 2).Select(j => j.GetProperty("guid").GetGuid()).ToHashSet();
        Assert.All(successful, job => Assert.True(starts.ContainsKey(job), $"{job} ended Successful without a start"));
    }

    /// <summary>A robot that heartbeats (long-polling, acknowledging) through either silo and runs each job it is given.</summary>
    private static async Task RunRobotAsync(
        Guid robot, int index, ApiClient[] silos, ConcurrentDictionary<Guid, int> starts, ConcurrentQueue<string> violations, CancellationToken stop)
    {
        long ack = 0;
        Guid? current = null;
        var turn = index;
        while (!stop.IsCancellationRequested)
        {
            var api = silos[turn++ % 2];
            JsonElement reply;
            try
            {
                reply = await api.PostAsync("/api/robot/heartbeat", JsonSerializer.Serialize(new { GUID = robot, Version = "1.0", Wait = 1, Ack = ack }));
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            foreach (var command in reply.GetProperty("Commands").EnumerateArray())
            {
                var seq = command.GetProperty("Seq").GetInt64();
                if (seq <= ack)
                {
                    continue; // redelivered until acknowledged: seen already
                }

                ack = seq;
                var job = command.GetProperty("JobGUID").GetGuid();
                switch (command.GetProperty("Type").GetString())
                {
                    case "StartJob":
                        if (current is not null)
                        {
                            violations.Enqueue($"robot {robot} was given {job} while it held {current}");
                        }

                        if (starts.AddOrUpdate(job, 1, (_, n) => n + 1) > 1)
                        {
                            violations.Enqueue($"job {job} was started twice");
                        }

                        current = job;
                        break;
                    case "AbortJob" when current == job:
                        await Report(api, job, 7);
                        current = null;
                        break;
                }
            }

            if (current is { } held)
            {
                await Report(api, held, 1);
                await Report(api, held, 2);
                current = null;
            }
        }

        async Task Report(ApiClient api, Guid job, int status)
        {
            // 409 is fair when the job was cancelled while the StartJob was on its way (then an AbortJob follows).
            using var response = await api.SendAsync(HttpMethod.Post, "/api/job/update", JsonSerializer.Serialize(new { Guid = job, Status = status, RobotGuid = robot }));
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
            {
                violations.Enqueue($"report {status} for {job}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
