using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Processes;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using static Orchestrator.Tests.Infrastructure.ProcessScenario;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §5 and §6 through real HTTP, on both wirings: processes, versions and their files.</summary>
public abstract class ProcessApiTests(OrchestratorFixture fixture)
{
    private const int MaxFileBytes = 1024 * 1024; // as the test hosts configure it

    [Fact]
    public async Task Create_and_read_answer_the_documented_process_fields()
    {
        using var api = await fixture.NewAccountAsync();

        var created = await api.PostAsync("/api/process/create", """{"Name": "Invoices", "Description": "d", "MinVersionToRun": 1.05, "ProcessType": "1",}""");
        var guid = created.GetProperty("guid").GetGuid();
        var process = await api.GetAsync($"/api/process/read/{guid}");

        Assert.Equal(guid, created.GetProperty("GUID").GetGuid());
        Assert.Equal(guid, process.GetProperty("guid").GetGuid());
        Assert.Equal(created.GetProperty("id").GetInt64(), process.GetProperty("id").GetInt64());
        Assert.Equal("Invoices", process.GetProperty("name").GetString());
        Assert.Equal("d", process.GetProperty("description").GetString());
        Assert.Equal(1.05m, process.GetProperty("min_version_to_run").GetDecimal());
        Assert.Equal(1, process.GetProperty("process_type").GetInt32());
        Assert.Equal(JsonValueKind.Null, process.GetProperty("process_version_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, process.GetProperty("process_version_guid").ValueKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", process.GetProperty("created").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", process.GetProperty("updated").GetString());
        Assert.Equal(0, process.GetProperty("is_deleted").GetInt32());
        Assert.True(process.GetProperty("account_id").GetInt64() > 0);
    }

    [Fact]
    public async Task Update_changes_only_the_fields_sent_and_a_duplicate_name_is_409()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = await CreateProcessAsync(api, "first");
        await CreateProcessAsync(api, "second");

        await api.PutAsync("/api/process/update", $$"""{"Guid": "{{guid}}", "MinVersionToRun": "2.5"}""");
        await api.PutAsync("/api/process/update", $$"""{"Guid": "{{guid}}", "Name": "second"}""", HttpStatusCode.Conflict);
        await api.PostAsync("/api/process/create", """{"Name": "second"}""", HttpStatusCode.Conflict);

        var process = await api.GetAsync($"/api/process/read/{guid}");
        Assert.Equal("first", process.GetProperty("name").GetString());
        Assert.Equal(2.5m, process.GetProperty("min_version_to_run").GetDecimal());
    }

    [Fact]
    public async Task List_pages_in_id_order_and_delete_removes_the_process()
    {
        using var api = await fixture.NewAccountAsync();
        var a = await CreateProcessAsync(api, "a");
        var b = await CreateProcessAsync(api, "b");
        var c = await CreateProcessAsync(api, "c");

        Assert.Equal([a, b, c], ListAnswer.Guids(await api.GetAsync("/api/process/list")));
        Assert.Equal([b], ListAnswer.Guids(await api.GetAsync("/api/process/list?skip=1&take=1")));

        await api.DeleteAsync($"/api/process/delete/{b}");
        await api.GetAsync($"/api/process/read/{b}", HttpStatusCode.NotFound);
        Assert.Equal([a, c], ListAnswer.Guids(await api.GetAsync("/api/process/list")));
    }

    [Fact]
    public async Task Another_accounts_process_and_version_are_404()
    {
        using var owner = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(owner, "p");
        var version = await CreateVersionAsync(owner, process, [1, 2, 3]);

        await other.GetAsync($"/api/process/read/{process}", HttpStatusCode.NotFound);
        await other.PutAsync("/api/process/update", $$"""{"Guid": "{{process}}", "Name": "x"}""", HttpStatusCode.NotFound);
        await other.DeleteAsync($"/api/process/delete/{process}", expected: HttpStatusCode.NotFound);
        await other.GetAsync($"/api/processVersion/read/{version}", HttpStatusCode.NotFound);
        using (var download = await other.SendAsync(HttpMethod.Get, $"/api/processVersion/download/{version}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        }

        await other.PostAsync("/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}", "ProcessFile": "AQID"}""", HttpStatusCode.NotFound);
        await other.PostAsync("/api/processVersion/update", $$"""{"Guid": "{{version}}", "Name": "x"}""", HttpStatusCode.NotFound);
        await other.DeleteAsync($"/api/processVersion/delete/{version}", expected: HttpStatusCode.NotFound);
        Assert.Empty((await other.GetAsync("/api/process/list")).EnumerateArray());
        Assert.Empty((await other.GetAsync("/api/processVersion/list")).EnumerateArray());
        Assert.Equal("v", (await owner.GetAsync($"/api/processVersion/read/{version}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_multipart_file_downloads_byte_identical_under_its_name_with_size_and_sha256()
    {
        using var api = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(api, "p");
        var bytes = RandomNumberGenerator.GetBytes(MaxFileBytes); // exactly at the limit: accepted

        using var form = new MultipartFormDataContent
        {
            { new StringContent("v1"), "Name" },
            { new StringContent(process.ToString()), "ProcessGuid" },
            { new ByteArrayContent(bytes), "ProcessFile", "Invoice Bot.robot" },
        };
        using var response = await api.SendAsync(HttpMethod.Post, "/api/processVersion/create", form);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var guid = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("guid").GetGuid();

        var version = await api.GetAsync($"/api/processVersion/read/{guid}");
        Assert.Equal("Invoice Bot.robot", version.GetProperty("process_file_name").GetString());
        Assert.Equal(bytes.Length, version.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), version.GetProperty("sha256").GetString());

        var (downloaded, fileName) = await DownloadAsync(api, guid);
        Assert.Equal(bytes, downloaded);
        Assert.Equal("Invoice Bot.robot", fileName);
    }

    [Theory]
    [InlineData("48656c6c6f", null, "Hello")]              // only hex digits, even: Base16
    [InlineData("JBSWY3DP", null, "Hello")]                 // A–Z and 2–7 to a multiple of 8: Base32
    [InlineData("JBSWY3DPEE======", null, "Hello!")]        // Base32 with padding
    [InlineData("SGVsbG8=", null, "Hello")]                 // anything else: Base64
    [InlineData("QUJD", "base64", "ABC")]                   // four letters that Base32 would not take anyway
    [InlineData("41424344", "BASE64", null)]                // hex-looking, but named Base64: read as Base64
    public async Task A_json_file_is_decoded_as_the_rule_of_section_12_says(string text, string? encoding, string? expected)
    {
        using var api = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(api, "p");
        var body = JsonSerializer.Serialize(new { Name = "v", ProcessGuid = process, ProcessFile = text, ProcessFileName = "x.robot", Encoding = encoding });

        using var response = await api.SendAsync(HttpMethod.Post, "/api/processVersion/create", body);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer);
        var guid = JsonDocument.Parse(answer).RootElement.GetProperty("guid").GetGuid();
        var (bytes, fileName) = await DownloadAsync(api, guid);
        Assert.Equal("x.robot", fileName);
        Assert.Equal(expected is null ? Convert.FromBase64String(text) : System.Text.Encoding.ASCII.GetBytes(expected), bytes);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_in_either_form_and_nothing_is_created()
    {
        using var api = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(api, "p");
        var bytes = RandomNumberGenerator.GetBytes(MaxFileBytes + 1);

        using var form = new MultipartFormDataContent
        {
            { new StringContent("v"), "Name" },
            { new StringContent(process.ToString()), "ProcessGuid" },
            { new ByteArrayContent(bytes), "ProcessFile", "big.robot" },
        };
        using (var multipart = await api.SendAsync(HttpMethod.Post, "/api/processVersion/create", form))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, multipart.StatusCode);
            Assert.Contains("ProcessFile", await multipart.Content.ReadAsStringAsync());
        }

        var json = JsonSerializer.Serialize(new { Name = "v", ProcessGuid = process, ProcessFile = Convert.ToBase64String(bytes) });
        using (var response = await api.SendAsync(HttpMethod.Post, "/api/processVersion/create", json))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("ProcessFile", await response.Content.ReadAsStringAsync());
        }

        Assert.Empty((await api.GetAsync("/api/processVersion/list")).EnumerateArray());
    }

    [Fact]
    public async Task A_version_whose_record_is_refused_leaves_no_bytes_and_no_record()
    {
        using var api = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(api, "p");
        var existing = await CreateVersionAsync(api, process, [1, 2, 3]);
        var version = await api.GetAsync($"/api/processVersion/read/{existing}");
        var account = version.GetProperty("account_id").GetInt64();
        var processId = version.GetProperty("process_id").GetInt64();
        var services = fixture.Host.Services;
        var database = services.GetRequiredService<OrchestratorDatabase>();
        var blobsBefore = await CountAsync("SELECT COUNT(*) FROM file_blobs WHERE account_id = @account");
        var versionsBefore = await CountAsync("SELECT COUNT(*) FROM process_versions WHERE account_id = @account");

        // The create path's two writes, the bytes and then the record in their transaction, with a record the table
        // refuses (its GUID is taken): the bytes, already written in the transaction, are not committed either.
        var now = DateTimeOffset.UtcNow;
        var records = services.GetRequiredService<ProcessVersionRecords>();
        var refused = await services.GetRequiredService<FileBlobs>().SaveAsync(
            account,
            new MemoryStream(new byte[100_000]),
            100_000,
            async (transaction, file) =>
            {
                var inserted = await records.InsertAsync(new ProcessVersionRecord(0, existing, account, processId, "again", "", "x.robot", file, now, now), transaction);
                return (inserted.Result == WriteResult.Done, inserted);
            });

        Assert.Equal(WriteResult.NameTaken, refused.Result);
        Assert.Equal(blobsBefore, await CountAsync("SELECT COUNT(*) FROM file_blobs WHERE account_id = @account"));
        Assert.Equal(versionsBefore, await CountAsync("SELECT COUNT(*) FROM process_versions WHERE account_id = @account"));
        Assert.Equal([1, 2, 3], (await DownloadAsync(api, existing)).Bytes);

        // And through HTTP a create commits the record and its bytes together: one more of each.
        var created = await CreateVersionAsync(api, process, [4, 5]);
        Assert.Equal(blobsBefore + 1, await CountAsync("SELECT COUNT(*) FROM file_blobs WHERE account_id = @account"));
        Assert.Equal(versionsBefore + 1, await CountAsync("SELECT COUNT(*) FROM process_versions WHERE account_id = @account"));
        Assert.Equal([4, 5], (await DownloadAsync(api, created)).Bytes);
        Assert.Equal("v", (await api.GetAsync($"/api/processVersion/read/{created}")).GetProperty("name").GetString());

        async Task<long> CountAsync(string sql) => (await database.ScalarAsync(sql, ("@account", account)))!.Value;
    }

    [Fact]
    public async Task The_latest_version_shows_on_the_process_and_update_replaces_the_file()
    {
        using var api = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(api, "p");
        var first = await CreateVersionAsync(api, process, [1]);
        var second = await CreateVersionAsync(api, process, [2]);

        var read = await api.GetAsync($"/api/process/read/{process}");
        Assert.Equal(second, read.GetProperty("process_version_guid").GetGuid());
        Assert.Equal((await api.GetAsync($"/api/processVersion/read/{second}")).GetProperty("id").GetInt64(), read.GetProperty("process_version_id").GetInt64());

        await api.PostAsync("/api/processVersion/update", $$"""{"Guid": "{{first}}", "Description": "new", "ProcessFile": "CAFE", "ProcessFileName": "b.robot"}""");
        var version = await api.GetAsync($"/api/processVersion/read/{first}");
        Assert.Equal("new", version.GetProperty("description").GetString());
        Assert.Equal("v", version.GetProperty("name").GetString());
        Assert.Equal(2, version.GetProperty("size").GetInt64());
        var (bytes, name) = await DownloadAsync(api, first);
        Assert.Equal([0xCA, 0xFE], bytes);
        Assert.Equal("b.robot", name);

        await api.DeleteAsync($"/api/processVersion/delete/{second}");
        await api.GetAsync($"/api/processVersion/read/{second}", HttpStatusCode.NotFound);
        Assert.Equal(first, (await api.GetAsync($"/api/process/read/{process}")).GetProperty("process_version_guid").GetGuid());
        Assert.Equal([first], ListAnswer.Guids(await api.GetAsync($"/api/processVersion/list?process={process}")));
    }

    [Fact]
    public async Task Bad_process_and_version_input_is_a_400_naming_the_field()
    {
        using var api = await fixture.NewAccountAsync();
        var process = await CreateProcessAsync(api, "p");

        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/process/create", """{"Name": "x", "ProcessType": 7}"""), "ProcessType");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/process/create", """{"Name": "x", "MinVersionToRun": "abc"}"""), "MinVersionToRun");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/process/create", """{"Description": "x"}"""), "Name");
        await AssertProblem(api.SendAsync(HttpMethod.Put, "/api/process/update", """{"Name": "x"}"""), "Guid");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}"}"""), "ProcessFile");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", """{"Name": "v", "ProcessFile": "AQID"}"""), "ProcessGuid");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "x!", "ProcessFile": "AQID"}"""), "ProcessGuid");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}", "ProcessFile": "%%%"}"""), "ProcessFile");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}", "ProcessFile": "SGVsbG8"}"""), "ProcessFile");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}", "ProcessFile": "AQID", "Encoding": "rot13"}"""), "Encoding");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}", "ProcessFile": "AQID", "ProcessFileName": "../x"}"""), "ProcessFileName");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/update", """{"Name": "v"}"""), "Guid");
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", $$"""{"Name": "v", "ProcessGuid": "{{process}}", "ProcessFile": ""}"""), "ProcessFile");
        using (var empty = new MultipartFormDataContent { { new StringContent("v"), "Name" }, { new StringContent(process.ToString()), "ProcessGuid" } })
        {
            empty.Add(new ByteArrayContent([]), "ProcessFile", "empty.robot");
            await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/create", empty), "ProcessFile");
        }

        var kept = (await api.PostAsync("/api/processVersion/create", $$"""{"Name": "kept", "ProcessGuid": "{{process}}", "ProcessFile": "AQID"}""")).GetProperty("guid").GetGuid();
        await AssertProblem(api.SendAsync(HttpMethod.Post, "/api/processVersion/update", $$"""{"Guid": "{{kept}}", "ProcessFile": ""}"""), "ProcessFile");
        Assert.Equal(3, (await api.GetAsync($"/api/processVersion/read/{kept}")).GetProperty("size").GetInt64());
        await api.DeleteAsync($"/api/processVersion/delete/{kept}");
        await AssertProblem(api.SendAsync(HttpMethod.Get, "/api/processVersion/download/not-a-guid"), "guid");
        using (var broken = new StringContent("--x\r\nContent-Disposition: form-data; name=\"Name\"\r\n\r\nv"))
        {
            broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
            using var response = await api.SendAsync(HttpMethod.Post, "/api/processVersion/create", broken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Empty((await api.GetAsync("/api/processVersion/list")).EnumerateArray());
    }

    private static async Task AssertProblem(Task<HttpResponseMessage> sending, string field)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", text);
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedProcessApiTests(EmbeddedFixture fixture) : ProcessApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresProcessApiTests(PostgresFixture fixture) : ProcessApiTests(fixture);
