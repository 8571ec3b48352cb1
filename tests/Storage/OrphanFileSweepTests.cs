using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Files;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// Stored bytes that no record refers to (what a crash between storing a process version's new file and writing
/// the version leaves) are removed by the sweep a silo runs once it is active, once they are older than the grace;
/// bytes a record refers to, and younger orphans, are kept. On both wirings, across a restart on the same data.
/// </summary>
public abstract class OrphanFileSweepTests : IAsyncLifetime
{
    private Dictionary<string, string?> _settings = [];

    protected abstract Task<Dictionary<string, string?>> WiringAsync();

    public async Task InitializeAsync() => _settings = await WiringAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Bytes_no_record_refers_to_are_removed_after_the_grace_and_referenced_bytes_are_kept()
    {
        byte[] first = [1, 2, 3], second = [4, 5, 6, 7], stored = [8, 9];
        string key;
        Guid version, file;
        long orphan;
        await using (var host = await OrchestratorTestHost.StartAsync(_settings))
        {
            using var admin = host.Client();
            key = await TenantAccount.CreateAsync(admin, "sweeper");
            using var tenant = host.Client(key);
            version = await ProcessScenario.CreateVersionAsync(tenant, await ProcessScenario.CreateProcessAsync(tenant, "swept"), first);
            await tenant.PostAsync(
                "/api/processVersion/update", $$"""{"Guid": "{{version}}", "ProcessFile": "{{Convert.ToBase64String(second)}}", "Encoding": "base64"}""");
            file = await FileScenario.CreateMultipartAsync(tenant, "kept.bin", null, stored);

            // Bytes committed with no record to point at them, as a crash right after storing a version's file leaves.
            var account = await TenantAccount.IdAsync(tenant);
            orphan = (await host.Services.GetRequiredService<FileBlobs>().SaveAsync(account, new MemoryStream([42]), 1)).BlobId;

            // Within the grace (an hour by default) they may still be waiting for their record: kept.
            Assert.Equal(0, await host.Services.GetRequiredService<OrphanFileSweep>().SweepAsync());
            Assert.True(await ExistsAsync(host, orphan));
        }

        await using (var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?>(_settings) { ["Orchestrator:OrphanFileGrace"] = "00:00:00" }))
        {
            // The sweep at start removes them; nothing else would.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await ExistsAsync(host, orphan))
            {
                Assert.True(DateTime.UtcNow < deadline, "The orphaned bytes were not removed within 30 s of the start.");
                await Task.Delay(50);
            }

            using var tenant = host.Client(key);
            Assert.Equal(second, (await ProcessScenario.DownloadAsync(tenant, version)).Bytes);
            Assert.Equal(stored, (await FileScenario.DownloadAsync(tenant, file)).Bytes);
            Assert.Equal(0, await host.Services.GetRequiredService<OrphanFileSweep>().SweepAsync());
        }
    }

    private static async Task<bool> ExistsAsync(OrchestratorTestHost host, long blob) =>
        await host.Services.GetRequiredService<OrchestratorDatabase>().ScalarAsync("SELECT COUNT(*) FROM file_blobs WHERE id = @id", ("@id", blob)) == 1;
}

public sealed class EmbeddedOrphanFileSweepTests : OrphanFileSweepTests
{
    private readonly string _dataPath = TempFolder.Create("orphan-sweep");

    protected override Task<Dictionary<string, string?>> WiringAsync() =>
        Task.FromResult(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });

    public override Task DisposeAsync()
    {
        TempFolder.Delete(_dataPath);
        return Task.CompletedTask;
    }
}

public sealed class PostgresOrphanFileSweepTests : OrphanFileSweepTests
{
    private readonly string _dataPath = TempFolder.Create("orphan-sweep-pg");

    protected override async Task<Dictionary<string, string?>> WiringAsync()
    {
        var server = await PostgresServer.AcquireAsync();
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Orchestrator"] = await server.CreateDatabaseAsync(),
            ["Orchestrator:AdvertisedIP"] = "127.0.0.1",
            ["Orchestrator:SecretKey"] = OrchestratorTestHost.SecretKey,
            ["Orchestrator:DataPath"] = _dataPath,
        };
    }

    public override async Task DisposeAsync()
    {
        await PostgresServer.ReleaseAsync();
        TempFolder.Delete(_dataPath);
    }
}
