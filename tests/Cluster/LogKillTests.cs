using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>A log line is acknowledged only once committed: a silo killed mid-stream loses none it acknowledged.</summary>
public sealed class LogKillTests
{
    [Theory]
    [InlineData("embedded")]
    [InlineData("postgres")]
    public async Task Killing_a_silo_right_after_acknowledged_log_creates_loses_none(string wiring)
    {
        var dataPath = TempFolder.Create("log-kill");
        var postgres = wiring == "postgres";
        var settings = new Dictionary<string, string> { ["Orchestrator:AdminKey"] = OrchestratorTestHost.AdminKey };
        if (postgres)
        {
            var server = await PostgresServer.AcquireAsync();
            settings["ConnectionStrings:Orchestrator"] = await server.CreateDatabaseAsync();
            settings["Orchestrator:AdvertisedIP"] = "127.0.0.1";
            settings["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey;
            settings["Orchestrator:ClusterId"] = "test";
            settings["Orchestrator:ServiceId"] = "test";
        }
        else
        {
            settings["Orchestrator:DataPath"] = dataPath;
        }

        try
        {
            var acknowledged = new ConcurrentBag<string>();
            string key;
            using (var doomed = await SiloProcess.StartAsync(new Dictionary<string, string>(settings)
            {
                ["Orchestrator:SiloPort"] = FreePort.Next().ToString(),
                ["Orchestrator:GatewayPort"] = FreePort.Next().ToString(),
            }))
            {
                using var admin = doomed.Client();
                key = await TenantAccount.CreateAsync(admin, "writer");

                // Writers send single lines and batches as fast as they are answered, each keeping what was acknowledged.
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
                {
                    using var client = doomed.Client(key);
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var batch = n % 4 == 3;
                        var messages = Enumerable.Range(0, batch ? 20 : 1).Select(i => $"w{w}-n{n}-i{i}").ToList();
                        try
                        {
                            using var response = batch
                                ? await client.SendAsync(HttpMethod.Post, "/api/log/createBatch", JsonSerializer.Serialize(messages.Select(m => new { Message = m })))
                                : await client.SendAsync(HttpMethod.Post, "/api/log/create", JsonSerializer.Serialize(new { Message = messages[0] }));
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                messages.ForEach(acknowledged.Add);
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return; // the silo is gone
                        }
                    }
                })).ToList();

                while (acknowledged.Count < 1500)
                {
                    await Task.WhenAny(Task.WhenAll(writers), Task.Delay(5));
                }

                // Killed while the writers are still sending: some lines are in a batch being committed right now.
                doomed.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            // The lines are in the database or not: a fresh cluster on it reads them without waiting for the dead silo to be declared dead.
            var restarted = new Dictionary<string, string?>(settings.ToDictionary(s => s.Key, s => (string?)s.Value)) { ["Orchestrator:ClusterId"] = "after-kill" };
            await using var survivor = await OrchestratorTestHost.StartAsync(restarted);
            using var tenant = survivor.Client(key);
            var stored = new HashSet<string>();
            for (long after = 0; ;)
            {
                var page = (await KillableCluster.RetryForBodyAsync(() => tenant.SendAsync(HttpMethod.Post, "/api/log/list", $$"""{"After": {{after}}, "Take": 1000}"""))).EnumerateArray().ToList();
                if (page.Count == 0)
                {
                    break;
                }

                stored.UnionWith(page.Select(l => l.GetProperty("Message").GetString()!));
                after = page[^1].GetProperty("id").GetInt64();
            }

            var lost = acknowledged.Where(m => !stored.Contains(m)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged lines were lost, e.g. {string.Join(", ", lost.Take(5))}");
        }
        finally
        {
            if (postgres)
            {
                await PostgresServer.ReleaseAsync();
            }

            TempFolder.Delete(dataPath);
        }
    }
}
