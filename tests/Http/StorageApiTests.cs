using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Api.Files;
using Orchestrator.Files;
using Orchestrator.Storage;
using Orchestrator.Tests.Infrastructure;
using static Orchestrator.Tests.Infrastructure.FileScenario;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §12 through real HTTP, on both wirings: folders, files, their bytes in every form, and what a delete takes with it.</summary>
public abstract class StorageApiTests(OrchestratorFixture fixture)
{
    private const int MaxFileBytes = StorageFixture.MaxFileBytes;

    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData([]));

    [Fact]
    public async Task Folder_create_read_list_update_and_delete_answer_as_documented()
    {
        using var api = await fixture.NewAccountAsync();

        // The vendor document's example, trailing comma included.
        var created = await api.PostAsync("/api/folders/create", """{"Name": "New Folder 1",}""");
        var guid = created.GetProperty("guid").GetGuid();
        Assert.Equal(guid, created.GetProperty("GUID").GetGuid());
        var second = await CreateFolderAsync(api, "Second", "another");

        var folder = await api.GetAsync($"/api/folders/read/{guid}");
        Assert.Equal(created.GetProperty("id").GetInt64(), folder.GetProperty("id").GetInt64());
        Assert.Equal(guid, folder.GetProperty("guid").GetGuid());
        Assert.Equal("New Folder 1", folder.GetProperty("name").GetString());
        Assert.Equal(string.Empty, folder.GetProperty("description").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", folder.GetProperty("created").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", folder.GetProperty("updated").GetString());
        Assert.Equal(0, folder.GetProperty("is_deleted").GetInt32());
        Assert.True(folder.GetProperty("account_id").GetInt64() > 0);
        Assert.Equal(folder.GetProperty("name").GetString(), (await api.GetAsync($"/api/folders/read/{folder.GetProperty("id").GetInt64()}")).GetProperty("name").GetString());

        Assert.Equal([guid, second], ListAnswer.Guids(await api.GetAsync("/api/folders/list")));
        Assert.Equal([second], ListAnswer.Guids(await api.GetAsync("/api/folders/list?skip=1&take=1")));

        // Only the fields sent change; a name another live folder has is a 409, on create and on update.
        await api.PutAsync("/api/folders/update", $$"""{"Guid": "{{guid}}", "Name": "New Folder Name",}""");
        await api.PutAsync("/api/folders/update", $$"""{"Guid": "{{guid}}", "Description": "d"}""");
        await api.PutAsync("/api/folders/update", $$"""{"Guid": "{{guid}}", "Name": "Second"}""", HttpStatusCode.Conflict);
        await api.PostAsync("/api/folders/create", """{"Name": "Second"}""", HttpStatusCode.Conflict);
        folder = await api.GetAsync($"/api/folders/read/{guid}");
        Assert.Equal("New Folder Name", folder.GetProperty("name").GetString());
        Assert.Equal("d", folder.GetProperty("description").GetString());

        await api.DeleteAsync($"/api/folders/delete/{second}");
        await api.GetAsync($"/api/folders/read/{second}", HttpStatusCode.NotFound);
        await api.DeleteAsync($"/api/folders/delete/{second}", expected: HttpStatusCode.NotFound);
        await api.PutAsync("/api/folders/update", $$"""{"Guid": "{{second}}", "Name": "x"}""", HttpStatusCode.NotFound);
        Assert.Equal([guid], ListAnswer.Guids(await api.GetAsync("/api/folders/list")));

        // A deleted folder's name is free again; its GUID is not reused.
        Assert.NotEqual(second, await CreateFolderAsync(api, "Second"));
    }

    [Fact]
    public async Task A_file_created_with_a_name_only_is_an_empty_file()
    {
        using var api = await fixture.NewAccountAsync();

        // The vendor document's example.
        var guid = (await api.PostAsync("/api/files/create", """{"Name": "Asset 1",}""")).GetProperty("guid").GetGuid();

        var file = await api.GetAsync($"/api/files/read/{guid}");
        Assert.Equal("Asset 1", file.GetProperty("name").GetString());
        Assert.Equal(0, file.GetProperty("size").GetInt64());
        Assert.Equal(EmptySha256, file.GetProperty("sha256").GetString());
        Assert.Equal(JsonValueKind.Null, file.GetProperty("folder_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, file.GetProperty("folder_guid").ValueKind);
        var (bytes, name) = await DownloadAsync(api, guid);
        Assert.Empty(bytes);
        Assert.Equal("Asset 1", name);
    }

    [Theory]
    [InlineData("base16", true)]
    [InlineData("base16", false)]
    [InlineData("base32", true)]
    [InlineData("base32", false)]
    [InlineData("base64", true)]
    [InlineData("base64", false)]
    public async Task Every_encoding_round_trips_byte_for_byte_from_empty_to_multi_megabyte(string encoding, bool named)
    {
        using var api = await fixture.NewAccountAsync();
        var folder = await CreateFolderAsync(api, "f");

        // Sizes that end each encoding's last group differently, and one of several megabytes.
        foreach (var size in new[] { 0, 1, 2, 3, 4, 5, 1000, 3 * 1024 * 1024 + 7 })
        {
            // Seeded, so that a detected encoding always meets the same text: random bytes would now and then give a short
            // Base64 or Base32 text that is hex digits only, which §12 reads as Base16.
            var bytes = new byte[size];
            new Random(size).NextBytes(bytes);
            var text = Encode(bytes, encoding);
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["Name"] = $"f{size}.bin", ["folder_guid"] = folder.ToString(), ["file"] = text, ["Encoding"] = named ? encoding.ToUpperInvariant() : null,
            });
            var guid = (await api.PostAsync("/api/files/create", body)).GetProperty("guid").GetGuid();

            var read = await api.GetAsync($"/api/files/read/{guid}");
            Assert.Equal(size, read.GetProperty("size").GetInt64());
            Assert.Equal(Sha256(bytes), read.GetProperty("sha256").GetString());
            Assert.Equal(folder, read.GetProperty("folder_guid").GetGuid());
            var (downloaded, _) = await DownloadAsync(api, guid);
            Assert.True(Sha256(bytes) == Sha256(downloaded), $"{encoding} ({(named ? "named" : "detected")}), {size} bytes: the download differs");
        }
    }

    [Fact]
    public async Task Text_wrapped_or_spaced_by_the_tools_that_make_it_decodes_to_the_same_bytes()
    {
        using var api = await fixture.NewAccountAsync();
        var bytes = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();
        static string Wrap(string text, int width) => string.Join("\n", text.Chunk(width).Select(c => new string(c))) + "\n";

        // As xxd -p, base32 and base64 write them: lines of 60 or 76 characters; and hex with its bytes spaced.
        foreach (var (text, expected) in new[]
        {
            (Wrap(Convert.ToHexString(bytes).ToLowerInvariant(), 60), bytes),
            (Wrap(Base32(bytes), 76), bytes),
            (Wrap(Convert.ToBase64String(bytes), 76), bytes),
            ("AB CD\r\nEF", new byte[] { 0xAB, 0xCD, 0xEF }),
        })
        {
            var guid = (await api.PostAsync("/api/files/create", JsonSerializer.Serialize(new { Name = "f", file = text }))).GetProperty("guid").GetGuid();

            var read = await api.GetAsync($"/api/files/read/{guid}");
            Assert.Equal(expected.Length, read.GetProperty("size").GetInt64());
            Assert.Equal(Sha256(expected), read.GetProperty("sha256").GetString());
        }

        // Base64 of a file at the limit, wrapped: its line breaks are not counted as data against the limit.
        var atLimit = RandomNumberGenerator.GetBytes(MaxFileBytes);
        var wrapped = JsonSerializer.Serialize(new { Name = "at the limit", file = Wrap(Convert.ToBase64String(atLimit), 76), Encoding = "base64" });
        var big = (await api.PostAsync("/api/files/create", wrapped)).GetProperty("guid").GetGuid();
        Assert.Equal(Sha256(atLimit), (await api.GetAsync($"/api/files/read/{big}")).GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_download_the_client_holds_by_its_ETag_is_a_304_without_the_bytes()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = (await api.PostAsync("/api/files/create", """{"Name": "f.bin", "file": "AQID"}""")).GetProperty("guid").GetGuid();
        using var first = await api.SendAsync(HttpMethod.Get, $"/api/files/download/{guid}");
        var etag = first.Headers.ETag!;

        using var again = await api.GetWithAsync($"/api/files/download/{guid}", h => h.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);

        // Another ETag (the content changed since): the bytes, as without one.
        using var changed = await api.GetWithAsync($"/api/files/download/{guid}", h => h.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000\"")));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal([0x01, 0x02, 0x03], await changed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_multipart_file_round_trips_and_read_with_content_answers_the_bytes()
    {
        using var api = await fixture.NewAccountAsync();
        var folder = await CreateFolderAsync(api, "reports");
        var bytes = RandomNumberGenerator.GetBytes(MaxFileBytes); // exactly at the limit: accepted

        var guid = await CreateMultipartAsync(api, "Quarterly report.xlsx", folder, bytes);

        var read = await api.GetAsync($"/api/files/read/{guid}");
        Assert.Equal("Quarterly report.xlsx", read.GetProperty("name").GetString());
        Assert.Equal(bytes.Length, read.GetProperty("size").GetInt64());
        Assert.Equal(Sha256(bytes), read.GetProperty("sha256").GetString());
        Assert.Equal(folder, read.GetProperty("folder_guid").GetGuid());
        Assert.Equal((await api.GetAsync($"/api/folders/read/{folder}")).GetProperty("id").GetInt64(), read.GetProperty("folder_id").GetInt64());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", read.GetProperty("created").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", read.GetProperty("updated").GetString());

        var (downloaded, name) = await DownloadAsync(api, guid);
        Assert.Equal(Sha256(bytes), Sha256(downloaded));
        Assert.Equal("Quarterly report.xlsx", name);

        using var content = await api.SendAsync(HttpMethod.Get, $"/api/files/read/{guid}?content=1");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal(Sha256(bytes), Sha256(await content.Content.ReadAsByteArrayAsync()));
        Assert.Equal($"\"{Sha256(bytes)}\"", content.Headers.ETag?.Tag);
        Assert.Equal(bytes.Length, (await api.GetAsync($"/api/files/read/{guid}?content=0")).GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task A_multipart_file_sent_without_a_Name_is_named_by_its_part()
    {
        using var api = await fixture.NewAccountAsync();
        using (var form = new MultipartFormDataContent())
        {
            // As curl -F file=@invoice.pdf sends it: the part's file name, no Name field.
            form.Add(new ByteArrayContent([1, 2, 3]), "file", "invoice.pdf");
            using var created = await api.SendAsync(HttpMethod.Post, "/api/files/create", form);
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.OK, text);
            var guid = JsonDocument.Parse(text).RootElement.GetProperty("guid").GetGuid();
            Assert.Equal("invoice.pdf", (await api.GetAsync($"/api/files/read/{guid}")).GetProperty("name").GetString());
        }

        // A part with no file name leaves the file without one: Name is required.
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent([1, 2, 3]);
            form.Add(part, "file");
            using var refused = await api.SendAsync(HttpMethod.Post, "/api/files/create", form);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("\"Name\"", await refused.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_in_either_form_and_nothing_is_stored()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var bytes = RandomNumberGenerator.GetBytes(MaxFileBytes + 1);
        var existing = (await api.PostAsync("/api/files/create", """{"Name": "small", "file": "AQID"}""")).GetProperty("guid").GetGuid();

        using (var form = Form(("Name", "big")))
        {
            form.Add(new ByteArrayContent(bytes), "file", "big.bin");
            using var multipart = await api.SendAsync(HttpMethod.Post, "/api/files/create", form);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, multipart.StatusCode);
            Assert.Contains("\"file\"", await multipart.Content.ReadAsStringAsync());
        }

        foreach (var (verb, path, guid) in new[] { ("POST", "/api/files/create", (Guid?)null), ("PUT", "/api/files/update", existing) })
        {
            var json = JsonSerializer.Serialize(new { Guid = guid, Name = "big", file = Convert.ToBase64String(bytes) });
            using var response = await api.SendAsync(new HttpMethod(verb), path, json);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("\"file\"", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal([existing], ListAnswer.Guids(await api.GetAsync("/api/files/list")));
        Assert.Equal([0x01, 0x02, 0x03], (await DownloadAsync(api, existing)).Bytes);
        Assert.Equal(1, await BlobCountAsync(account));
    }

    [Fact]
    public async Task Update_renames_moves_and_replaces_the_content_and_the_old_bytes_go()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var inbox = await CreateFolderAsync(api, "inbox");
        var done = await CreateFolderAsync(api, "done");
        var guid = (await api.PostAsync("/api/files/create", $$"""{"Name": "a.txt", "folder_guid": "{{inbox}}", "file": "48656c6c6f"}""")).GetProperty("guid").GetGuid();
        var other = (await api.PostAsync("/api/files/create", """{"Name": "b.txt", "file": "AQID"}""")).GetProperty("guid").GetGuid();
        Assert.Equal(2, await BlobCountAsync(account));

        // The folder by its numeric id, as API.md §1 allows.
        var doneId = (await api.GetAsync($"/api/folders/read/{done}")).GetProperty("id").GetInt64();
        await api.PutAsync("/api/files/update", $$"""{"Guid": "{{guid}}", "Name": "renamed.txt", "folder_guid": {{doneId}}}""");
        var read = await api.GetAsync($"/api/files/read/{guid}");
        Assert.Equal("renamed.txt", read.GetProperty("name").GetString());
        Assert.Equal(done, read.GetProperty("folder_guid").GetGuid());
        Assert.Equal("Hello"u8.ToArray(), (await DownloadAsync(api, guid)).Bytes);
        Assert.Equal([guid], ListAnswer.Guids(await api.GetAsync($"/api/files/list?folder={done}")));
        Assert.Empty((await api.GetAsync($"/api/files/list?folder={inbox}")).EnumerateArray());

        // New content in multipart; the bytes it replaces are deleted with the change.
        var content = RandomNumberGenerator.GetBytes(200_000);
        using (var form = Form(("Guid", guid.ToString())))
        {
            form.Add(new ByteArrayContent(content), "file", "ignored.bin");
            using var response = await api.SendAsync(HttpMethod.Put, "/api/files/update", form);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        read = await api.GetAsync($"/api/files/read/{guid}");
        Assert.Equal("renamed.txt", read.GetProperty("name").GetString());
        Assert.Equal(Sha256(content), read.GetProperty("sha256").GetString());
        Assert.Equal(Sha256(content), Sha256((await DownloadAsync(api, guid)).Bytes));
        Assert.Equal(2, await BlobCountAsync(account));

        // An empty folder_guid moves the file to the top level; a folder that is gone is a 404 and changes nothing.
        await api.PutAsync("/api/files/update", $$"""{"Guid": "{{guid}}", "folder_guid": ""}""");
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync($"/api/files/read/{guid}")).GetProperty("folder_guid").ValueKind);
        await api.DeleteAsync($"/api/folders/delete/{inbox}");
        var problem = await api.PutAsync("/api/files/update", $$"""{"Guid": "{{guid}}", "folder_guid": "{{inbox}}", "file": "00"}""", HttpStatusCode.NotFound);
        Assert.Contains("Folder", problem.GetProperty("title").GetString());
        Assert.Equal(Sha256(content), (await api.GetAsync($"/api/files/read/{guid}")).GetProperty("sha256").GetString());
        Assert.Equal(2, await BlobCountAsync(account));

        Assert.Equal([guid, other], ListAnswer.Guids(await api.GetAsync("/api/files/list")));
        Assert.Equal([other], ListAnswer.Guids(await api.GetAsync("/api/files/list?skip=1&take=5")));
    }

    [Fact]
    public async Task Deleting_a_file_deletes_its_bytes()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var guid = (await api.PostAsync("/api/files/create", """{"Name": "a", "file": "AQID"}""")).GetProperty("guid").GetGuid();
        var kept = (await api.PostAsync("/api/files/create", """{"Name": "b", "file": "BAUG"}""")).GetProperty("guid").GetGuid();

        await api.DeleteAsync($"/api/files/delete/{guid}");

        await api.GetAsync($"/api/files/read/{guid}", HttpStatusCode.NotFound);
        await AssertDownloadIs404Async(api, guid);
        await api.DeleteAsync($"/api/files/delete/{guid}", expected: HttpStatusCode.NotFound);
        await api.PutAsync("/api/files/update", $$"""{"Guid": "{{guid}}", "Name": "x"}""", HttpStatusCode.NotFound);
        Assert.Equal([kept], ListAnswer.Guids(await api.GetAsync("/api/files/list")));
        Assert.Equal(1, await BlobCountAsync(account));
    }

    [Fact]
    public async Task Deleting_a_folder_deletes_its_files_and_their_bytes_and_nothing_else()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var doomed = await CreateFolderAsync(api, "doomed");
        var kept = await CreateFolderAsync(api, "kept");
        var inDoomed = new[]
        {
            (await api.PostAsync("/api/files/create", $$"""{"Name": "1", "folder_guid": "{{doomed}}", "file": "AQID"}""")).GetProperty("guid").GetGuid(),
            await CreateMultipartAsync(api, "2", doomed, RandomNumberGenerator.GetBytes(100_000)),
        };
        var inKept = (await api.PostAsync("/api/files/create", $$"""{"Name": "3", "folder_guid": "{{kept}}", "file": "BAUG"}""")).GetProperty("guid").GetGuid();
        var atTop = (await api.PostAsync("/api/files/create", """{"Name": "4", "file": "BwgJ"}""")).GetProperty("guid").GetGuid();
        Assert.Equal(4, await BlobCountAsync(account));

        Assert.Equal(JsonValueKind.Array, (await api.DeleteAsync($"/api/folders/delete/{doomed}")).ValueKind);

        foreach (var file in inDoomed)
        {
            await api.GetAsync($"/api/files/read/{file}", HttpStatusCode.NotFound);
            await AssertDownloadIs404Async(api, file);
            await api.PutAsync("/api/files/update", $$"""{"Guid": "{{file}}", "Name": "back"}""", HttpStatusCode.NotFound);
            await api.DeleteAsync($"/api/files/delete/{file}", expected: HttpStatusCode.NotFound);
        }

        await api.GetAsync($"/api/files/list?folder={doomed}", HttpStatusCode.NotFound);
        await api.PostAsync("/api/files/create", $$"""{"Name": "late", "folder_guid": "{{doomed}}", "file": "AQID"}""", HttpStatusCode.NotFound);
        Assert.Equal([inKept, atTop], ListAnswer.Guids(await api.GetAsync("/api/files/list")));
        Assert.Equal([0x04, 0x05, 0x06], (await DownloadAsync(api, inKept)).Bytes);
        Assert.Equal(2, await BlobCountAsync(account));
    }

    [Fact]
    public async Task Files_created_while_their_folder_is_deleted_either_go_with_it_or_are_refused_and_leave_no_bytes()
    {
        using var api = await fixture.NewAccountAsync();
        var account = await TenantAccount.IdAsync(api);
        var folder = await CreateFolderAsync(api, "contested");
        var first = (await api.PostAsync("/api/files/create", $$"""{"Name": "first", "folder_guid": "{{folder}}", "file": "AQID"}""")).GetProperty("guid").GetGuid();

        var creates = Enumerable.Range(0, 24).Select(async i =>
        {
            using var response = await api.SendAsync(
                HttpMethod.Post, "/api/files/create", $$"""{"Name": "f{{i}}", "folder_guid": "{{folder}}", "file": "{{Convert.ToBase64String(new byte[1000 + i])}}", "Encoding": "base64"}""");
            return response.StatusCode;
        }).ToList();
        await api.DeleteAsync($"/api/folders/delete/{folder}");
        var answers = await Task.WhenAll(creates);

        // Each create was either committed before the delete (and went with the folder) or found the folder gone.
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, status.ToString()));
        await api.GetAsync($"/api/files/read/{first}", HttpStatusCode.NotFound);
        Assert.Empty((await api.GetAsync("/api/files/list")).EnumerateArray());
        Assert.Equal(0, await BlobCountAsync(account));
    }

    [Fact]
    public async Task Another_accounts_folders_and_files_are_404_and_never_listed()
    {
        using var owner = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var folder = await CreateFolderAsync(owner, "private");
        var file = (await owner.PostAsync("/api/files/create", $$"""{"Name": "secret.txt", "folder_guid": "{{folder}}", "file": "AQID"}""")).GetProperty("guid").GetGuid();
        var folderId = (await owner.GetAsync($"/api/folders/read/{folder}")).GetProperty("id").GetInt64();
        var fileId = (await owner.GetAsync($"/api/files/read/{file}")).GetProperty("id").GetInt64();

        foreach (var reference in new[] { folder.ToString(), folderId.ToString() })
        {
            await other.GetAsync($"/api/folders/read/{reference}", HttpStatusCode.NotFound);
            await other.PutAsync("/api/folders/update", $$"""{"Guid": "{{reference}}", "Name": "mine"}""", HttpStatusCode.NotFound);
            await other.DeleteAsync($"/api/folders/delete/{reference}", expected: HttpStatusCode.NotFound);
            await other.GetAsync($"/api/files/list?folder={reference}", HttpStatusCode.NotFound);
            await other.PostAsync("/api/files/create", $$"""{"Name": "x", "folder_guid": "{{reference}}", "file": "AQID"}""", HttpStatusCode.NotFound);
        }

        foreach (var reference in new[] { file.ToString(), fileId.ToString() })
        {
            await other.GetAsync($"/api/files/read/{reference}", HttpStatusCode.NotFound);
            await AssertDownloadIs404Async(other, reference);
            using (var content = await other.SendAsync(HttpMethod.Get, $"/api/files/read/{reference}?content=1"))
            {
                Assert.Equal(HttpStatusCode.NotFound, content.StatusCode);
            }

            await other.PutAsync("/api/files/update", $$"""{"Guid": "{{reference}}", "Name": "mine", "file": "00"}""", HttpStatusCode.NotFound);
            await other.DeleteAsync($"/api/files/delete/{reference}", expected: HttpStatusCode.NotFound);
        }

        // Nor may another account move its own file into the folder.
        var own = (await other.PostAsync("/api/files/create", """{"Name": "own"}""")).GetProperty("guid").GetGuid();
        await other.PutAsync("/api/files/update", $$"""{"Guid": "{{own}}", "folder_guid": "{{folder}}"}""", HttpStatusCode.NotFound);

        Assert.Empty((await other.GetAsync("/api/folders/list")).EnumerateArray());
        Assert.Equal([own], ListAnswer.Guids(await other.GetAsync("/api/files/list")));
        Assert.Equal("private", (await owner.GetAsync($"/api/folders/read/{folder}")).GetProperty("name").GetString());
        Assert.Equal([0x01, 0x02, 0x03], (await DownloadAsync(owner, file)).Bytes);
    }

    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        { "POST", "/api/folders/create", """{"Description": "d"}""", "Name" },
        { "POST", "/api/folders/create", """{"Name": "   "}""", "Name" },
        { "POST", "/api/folders/create", """{"Name": "a\u0000b"}""", "Name" },
        { "POST", "/api/folders/create", """{"Name": {"a": 1}}""", "Name" },
        { "POST", "/api/folders/create", """{"Name": "ok", "Description": "nul \u0000"}""", "Description" },
        { "PUT", "/api/folders/update", """{"Name": "x"}""", "Guid" },
        { "PUT", "/api/folders/update", """{"Guid": "not-a-guid", "Name": "x"}""", "Guid" },
        { "PUT", "/api/folders/update", """{"Guid": "00000000-0000-0000-0000-000000000001", "Name": ""}""", "Name" },
        { "GET", "/api/folders/read/not-a-guid", "", "guid" },
        { "GET", "/api/folders/list?skip=-1", "", "skip" },
        { "GET", "/api/folders/list?take=many", "", "take" },
        { "DELETE", "/api/folders/delete/x!", "", "guid" },
        { "POST", "/api/files/create", """{"file": "AQID"}""", "Name" },
        { "POST", "/api/files/create", """{"Name": "../etc/passwd"}""", "Name" },
        { "POST", "/api/files/create", """{"Name": "a\nb"}""", "Name" },
        { "POST", "/api/files/create", """{"Name": "a", "folder_guid": "x!"}""", "folder_guid" },
        { "POST", "/api/files/create", """{"Name": "a", "folder_guid": -3}""", "folder_guid" },
        { "POST", "/api/files/create", """{"Name": "a", "file": "%%%"}""", "file" },
        { "POST", "/api/files/create", """{"Name": "a", "file": "SGVsbG8"}""", "file" },
        { "POST", "/api/files/create", """{"Name": "a", "file": "zz", "Encoding": "base16"}""", "file" },
        { "POST", "/api/files/create", """{"Name": "a", "file": "abc1", "Encoding": "base32"}""", "file" },
        { "POST", "/api/files/create", """{"Name": "a", "file": "AQID", "Encoding": "rot13"}""", "Encoding" },
        { "POST", "/api/files/create", """{"Name": "a", "file": ["AQID"]}""", "file" },
        { "POST", "/api/files/create", """{"Name": "a", "file": "================================"}""", "file" },
        { "PUT", "/api/files/update", """{"Name": "x"}""", "Guid" },
        { "PUT", "/api/files/update", """{"Guid": "{}", "Name": "x"}""", "Guid" },
        { "PUT", "/api/files/update", """{"Guid": "00000000-0000-0000-0000-000000000001", "Name": "a/b"}""", "Name" },
        { "PUT", "/api/files/update", """{"Guid": "00000000-0000-0000-0000-000000000001", "folder_guid": "x!"}""", "folder_guid" },
        { "PUT", "/api/files/update", """{"Guid": "00000000-0000-0000-0000-000000000001", "file": "%%%"}""", "file" },
        { "GET", "/api/files/read/not-a-guid", "", "guid" },
        { "GET", "/api/files/read/00000000-0000-0000-0000-000000000001?content=yes", "", "content" },
        { "GET", "/api/files/download/not-a-guid", "", "guid" },
        { "GET", "/api/files/list?folder=x!", "", "folder" },
        { "GET", "/api/files/list?skip=x", "", "skip" },
        { "DELETE", "/api/files/delete/x!", "", "guid" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_naming_the_field(string verb, string path, string body, string field)
    {
        using var api = await fixture.NewAccountAsync();

        using var response = await api.SendAsync(new HttpMethod(verb), path, body.Length == 0 ? null : body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{verb} {path} {body}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{verb} {path} {body}: {text}");
    }

    [Theory]
    [InlineData("POST", "/api/folders/create")]
    [InlineData("PUT", "/api/folders/update")]
    [InlineData("POST", "/api/files/create")]
    [InlineData("PUT", "/api/files/update")]
    public async Task Garbage_bodies_get_a_4xx_problem_never_a_500_as_json_or_multipart(string verb, string path)
    {
        using var api = await fixture.NewAccountAsync();
        string[] contentTypes = ["application/json", "multipart/form-data; boundary=b", "multipart/form-data", "multipart/form-data; boundary=\"\""];
        var bodies = ((IEnumerable<string>)BadInputTests.Garbage)
            .Append("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nabc")
            .Append("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--b--\r\n");
        foreach (var contentType in contentTypes)
        {
            foreach (var body in bodies)
            {
                using var response = await api.SendAsync(new HttpMethod(verb), path, body, contentType);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"{verb} {path} {contentType} with {body}: {(int)response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Empty((await api.GetAsync("/api/files/list")).EnumerateArray());
        Assert.Empty((await api.GetAsync("/api/folders/list")).EnumerateArray());
    }

    [Fact]
    public async Task A_name_outside_ascii_comes_back_unchanged_in_read_and_download()
    {
        using var api = await fixture.NewAccountAsync();
        const string name = "Отчёт за март №3.xlsx";

        var fromJson = (await api.PostAsync("/api/files/create", JsonSerializer.Serialize(new { Name = name, file = "AQID" }))).GetProperty("guid").GetGuid();
        var fromForm = await CreateMultipartAsync(api, name, null, [1, 2, 3]);

        foreach (var guid in new[] { fromJson, fromForm })
        {
            Assert.Equal(name, (await api.GetAsync($"/api/files/read/{guid}")).GetProperty("name").GetString());
            Assert.Equal(name, (await DownloadAsync(api, guid)).FileName);
        }
    }

    [Fact]
    public async Task A_download_whose_bytes_went_away_after_the_read_is_a_404_not_a_cut_off_200()
    {
        // The record was read, then the file was deleted (its bytes with it) before the download started.
        var blobs = fixture.Host.Services.GetRequiredService<FileBlobs>();
        var http = new DefaultHttpContext { RequestServices = fixture.Host.Services };
        http.Response.Body = new MemoryStream();

        await new FileDownload(blobs, new StoredFile(long.MaxValue, 3, new string('0', 64)), "gone.bin").ExecuteAsync(http);

        Assert.Equal(StatusCodes.Status404NotFound, http.Response.StatusCode);
        Assert.NotEqual(3, http.Response.ContentLength);
        Assert.Equal("application/problem+json", http.Response.ContentType?.Split(';')[0]);
        Assert.False(http.Response.Headers.ContainsKey("Content-Disposition"));
    }

    [Fact]
    public async Task A_multipart_create_takes_its_fields_from_the_other_parts()
    {
        using var api = await fixture.NewAccountAsync();
        var folder = await CreateFolderAsync(api, "f");

        // A part named file without a file name, and a folder by its numeric id.
        var folderId = (await api.GetAsync($"/api/folders/read/{folder}")).GetProperty("id").GetInt64();
        using var form = Form(("Name", "notes.txt"), ("folder_guid", folderId.ToString()));
        form.Add(new ByteArrayContent("line one\r\n--not-a-boundary\r\n"u8.ToArray()), "file");
        using var response = await api.SendAsync(HttpMethod.Post, "/api/files/create", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var guid = JsonDocument.Parse(text).RootElement.GetProperty("guid").GetGuid();

        var read = await api.GetAsync($"/api/files/read/{guid}");
        Assert.Equal("notes.txt", read.GetProperty("name").GetString());
        Assert.Equal(folder, read.GetProperty("folder_guid").GetGuid());
        Assert.Equal("line one\r\n--not-a-boundary\r\n"u8.ToArray(), (await DownloadAsync(api, guid)).Bytes);
    }

    private async Task<long> BlobCountAsync(long accountId) =>
        (await fixture.Host.Services.GetRequiredService<OrchestratorDatabase>()
            .ScalarAsync("SELECT COUNT(*) FROM file_blobs WHERE account_id = @account", ("@account", accountId)))!.Value;

    private static async Task AssertDownloadIs404Async(ApiClient api, object file)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"/api/files/download/{file}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static MultipartFormDataContent Form(params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    /// <summary>The client's side of API.md §12's encodings, written here from RFC 4648 rather than taken from the server.</summary>
    private static string Encode(byte[] bytes, string encoding) => encoding switch
    {
        "base16" => Convert.ToHexString(bytes),
        "base64" => Convert.ToBase64String(bytes),
        _ => Base32(bytes),
    };

    private static string Base32(byte[] bytes)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder((bytes.Length + 4) / 5 * 8);
        for (var i = 0; i < bytes.Length; i += 5)
        {
            var count = Math.Min(5, bytes.Length - i);
            ulong group = 0;
            for (var j = 0; j < 5; j++)
            {
                group = (group << 8) | (j < count ? bytes[i + j] : 0UL);
            }

            var chars = (count * 8 + 4) / 5;
            for (var k = 0; k < 8; k++)
            {
                text.Append(k < chars ? Alphabet[(int)((group >> (35 - (k * 5))) & 31)] : '=');
            }
        }

        return text.ToString();
    }
}

public sealed class EmbeddedStorageApiTests(EmbeddedStorageFixture fixture) : StorageApiTests(fixture), IClassFixture<EmbeddedStorageFixture>;

public sealed class PostgresStorageApiTests(PostgresStorageFixture fixture) : StorageApiTests(fixture), IClassFixture<PostgresStorageFixture>;
