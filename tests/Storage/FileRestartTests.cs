using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>Stored folders and files are served byte for byte by the next start of the embedded wiring on the same data folder, after a graceful stop or a kill.</summary>
public sealed class FileRestartTests : IDisposable
{
    private readonly string _dataPath = TempFolder.Create("file-restart");

    [Fact]
    public async Task A_file_and_its_folder_survive_a_restart_byte_for_byte()
    {
        var settings = new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath };
        var bytes = new byte[700_000];
        new Random(7).NextBytes(bytes);
        string key;
        Guid folder, file, empty;
        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var admin = host.Client();
            key = await TenantAccount.CreateAsync(admin, "keeper");
            using var tenant = host.Client(key);
            folder = await FileScenario.CreateFolderAsync(tenant, "archive", "kept");
            file = await FileScenario.CreateMultipartAsync(tenant, "ledger.bin", folder, bytes);
            empty = (await tenant.PostAsync("/api/files/create", """{"Name": "empty"}""")).GetProperty("guid").GetGuid();
        }

        await using (var host = await OrchestratorTestHost.StartAsync(settings))
        {
            using var tenant = host.Client(key);
            var read = await tenant.GetAsync($"/api/folders/read/{folder}");
            Assert.Equal("archive", read.GetProperty("name").GetString());
            Assert.Equal("kept", read.GetProperty("description").GetString());

            var info = await tenant.GetAsync($"/api/files/read/{file}");
            Assert.Equal(folder, info.GetProperty("folder_guid").GetGuid());
            Assert.Equal(FileScenario.Sha256(bytes), info.GetProperty("sha256").GetString());
            var (downloaded, name) = await FileScenario.DownloadAsync(tenant, file);
            Assert.Equal(FileScenario.Sha256(bytes), FileScenario.Sha256(downloaded));
            Assert.Equal("ledger.bin", name);
            Assert.Empty((await FileScenario.DownloadAsync(tenant, empty)).Bytes);
        }
    }

    [Fact]
    public async Task An_acknowledged_upload_survives_the_silo_process_killed_right_after()
    {
        var bytes = new byte[1_500_000];
        new Random(11).NextBytes(bytes);
        string key;
        Guid folder, file;
        using (var silo = await SiloProcess.StartAsync(SiloProcess.EmbeddedSettings(_dataPath)))
        {
            using var admin = silo.Client();
            key = await TenantAccount.CreateAsync(admin, "keeper");
            using var tenant = silo.Client(key);
            folder = await FileScenario.CreateFolderAsync(tenant, "archive");
            file = await FileScenario.CreateMultipartAsync(tenant, "ledger.bin", folder, bytes);

            // SIGKILL as soon as the create is answered: nothing flushed or checkpointed on the way out.
            silo.Kill();
        }

        await using var host = await OrchestratorTestHost.StartAsync(new Dictionary<string, string?> { ["Orchestrator:DataPath"] = _dataPath });
        using var again = host.Client(key);
        var (downloaded, name) = await FileScenario.DownloadAsync(again, file);
        Assert.Equal(FileScenario.Sha256(bytes), FileScenario.Sha256(downloaded));
        Assert.Equal("ledger.bin", name);
        Assert.Equal(folder, (await again.GetAsync($"/api/files/read/{file}")).GetProperty("folder_guid").GetGuid());
    }

    public void Dispose() => TempFolder.Delete(_dataPath);
}
