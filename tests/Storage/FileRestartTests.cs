using Orchestrator.Tests.Http;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>Stored folders and files are served byte for byte by the next start of the embedded wiring on the same data folder.</summary>
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
            key = (await admin.PostAsync("/api/account/create", """{"Login": "keeper", "Password": "p"}""")).GetProperty("key").GetString()!;
            using var tenant = host.Client(key);
            folder = await StorageApiTests.CreateFolderAsync(tenant, "archive", "kept");
            file = await StorageApiTests.CreateMultipartAsync(tenant, "ledger.bin", folder, bytes);
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
            Assert.Equal(StorageApiTests.Sha256(bytes), info.GetProperty("sha256").GetString());
            var (downloaded, name) = await StorageApiTests.DownloadAsync(tenant, file);
            Assert.Equal(StorageApiTests.Sha256(bytes), StorageApiTests.Sha256(downloaded));
            Assert.Equal("ledger.bin", name);
            Assert.Empty((await StorageApiTests.DownloadAsync(tenant, empty)).Bytes);
        }
    }

    public void Dispose() => TempFolder.Delete(_dataPath);
}
