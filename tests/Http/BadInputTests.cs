using System.Net;
using System.Text;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>Nothing a client sends gets a 500: malformed bodies, wrong types, bad enums and GUIDs, oversized bodies.</summary>
public abstract class BadInputTests(OrchestratorFixture fixture)
{
    /// <summary>Every endpoint that reads a body, with the verb it is called with.</summary>
    public static TheoryData<string, string> BodyEndpoints => new()
    {
        { "POST", "/api/robot/create" },
        { "PUT", "/api/robot/update" },
        { "PUT", "/api/robot/setStatus" },
        { "POST", "/api/robot/heartbeat" },
        { "POST", "/api/robotGroup/create" },
        { "PUT", "/api/robotGroup/update" },
        { "PUT", "/api/robotGroup/addRobot" },
        { "DELETE", "/api/robotGroup/removeRobot" },
        { "DELETE", "/api/robotGroup/delete/00000000-0000-0000-0000-000000000001" },
        { "POST", "/api/account/create" },
        { "PUT", "/api/account/update" },
        { "PUT", "/api/key" },
        { "POST", "/api/process/create" },
        { "PUT", "/api/process/update" },
    };

    /// <summary>The endpoints that take a file, as multipart or inside JSON.</summary>
    public static TheoryData<string> FileEndpoints => new()
    {
        "/api/processVersion/create",
        "/api/processVersion/update",
    };

    public static TheoryData<string> Garbage => new()
    {
        "{",
        "{\"Name\": }",
        "not json at all",
        "[1, 2, 3]",
        "\"a string\"",
        "{\"Name\": {\"nested\": true}, \"GUID\": [], \"Status\": \"x\"}",
        "{\"GUID\": \"not-a-guid\", \"Status\": 99, \"Name\": \"\", \"Wait\": -1, \"Login\": \"\", \"Key\": \"\"}",
        "{\"GUID\": 1e400, \"Status\": 1e400, \"Wait\": 99999999999}",
        "{\"RobotGroupGuid\": \"\u0000\", \"RobotGuid\": null, \"Key\": 12}",
        "null",
    };

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Garbage_bodies_get_a_4xx_problem_never_a_500(string verb, string path)
    {
        using var api = await fixture.NewAccountAsync();
        foreach (var body in Garbage)
        {
            using var response = await api.SendAsync(new HttpMethod(verb), path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{verb} {path} with {body}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Oversized_bodies_are_refused_with_413(string verb, string path)
    {
        using var api = fixture.Admin;
        var body = "{\"Name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";

        // Expect: 100-continue lets the server answer before the client has sent a body it will not read.
        using var response = await api.SendAsync(new HttpMethod(verb), path, body, expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(FileEndpoints))]
    public async Task Garbage_file_bodies_get_a_4xx_problem_never_a_500_as_json_or_multipart(string path)
    {
        using var api = await fixture.NewAccountAsync();
        string[] contentTypes = ["application/json", "multipart/form-data; boundary=b", "multipart/form-data", "multipart/form-data; boundary=\"\""];
        foreach (var contentType in contentTypes)
        {
            foreach (var body in ((IEnumerable<string>)Garbage).Append("--b\r\nContent-Disposition: form-data; name=\"ProcessFile\"; filename=\"x\"\r\n\r\nabc"))
            {
                using var response = await api.SendAsync(HttpMethod.Post, path, body, contentType);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} {contentType} with {body}: {(int)response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FileEndpoints))]
    public async Task Oversized_file_bodies_are_refused_with_413(string path)
    {
        using var api = fixture.Admin;
        var body = "{\"ProcessFile\": \"" + new string('A', 4 * 1024 * 1024) + "\"}";

        using var response = await api.SendAsync(HttpMethod.Post, path, body, expectContinue: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_naming_the_body()
    {
        using var api = await fixture.NewAccountAsync();

        var problem = await api.PostAsync("/api/robot/create", "{\"Name\": ", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _) || problem.GetProperty("errors").TryGetProperty("Name", out _));
    }

    [Theory]
    [InlineData("/api/robot/create", "{\"Name\": {\"a\": 1}}", "Name")]
    [InlineData("/api/robot/create", "{\"Description\": \"d\"}", "Name")]
    [InlineData("/api/robot/create", "{\"Name\": \"   \"}", "Name")]
    [InlineData("/api/robot/heartbeat", "{\"GUID\": \"not-a-guid\"}", "GUID")]
    [InlineData("/api/robot/heartbeat", "{}", "GUID")]
    [InlineData("/api/robot/heartbeat", "{\"GUID\": \"00000000-0000-0000-0000-000000000001\", \"Wait\": 61}", "Wait")]
    [InlineData("/api/robot/heartbeat", "{\"GUID\": \"00000000-0000-0000-0000-000000000001\", \"Wait\": \"soon\"}", "Wait")]
    [InlineData("/api/robotGroup/create", "{\"Name\": [\"a\"]}", "Name")]
    [InlineData("/api/account/create", "{\"Login\": \"x\"}", "Password")]
    [InlineData("/api/robot/create", "{\"Name\": \"a\\u0000b\"}", "Name")]
    [InlineData("/api/robot/create", "{\"Name\": \"ok\", \"Description\": \"nul \\u0000 inside\"}", "Description")]
    [InlineData("/api/robotGroup/create", "{\"Name\": \"line\\nbreak\"}", "Name")]
    [InlineData("/api/robot/heartbeat", "{\"GUID\": \"00000000-0000-0000-0000-000000000001\", \"Machine\": \"WS\\u0000\"}", "Machine")]
    [InlineData("/api/account/create", "{\"Login\": \"x\\u0000\", \"Password\": \"p\"}", "Login")]
    public async Task Invalid_fields_are_named_in_the_problem(string path, string body, string field)
    {
        using var admin = fixture.Admin;

        var problem = await admin.PostAsync(path, body, HttpStatusCode.BadRequest);

        ProblemAssert.NamesField(problem, field);
    }

    [Fact]
    public async Task Unknown_enum_values_and_bad_guids_are_400s_naming_the_field()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();

        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "STATUS": 7}""", HttpStatusCode.BadRequest), "Status");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}"}""", HttpStatusCode.BadRequest), "Status");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/robot/update", $$"""{"GUID": "{{robot}}", "Status": -1}""", HttpStatusCode.BadRequest), "Status");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/robot/update", """{"GUID": "{1234}", "Name": "n"}""", HttpStatusCode.BadRequest), "GUID");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/robot/read/not-a-guid", HttpStatusCode.BadRequest), "guid");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/robot/read?status=9", HttpStatusCode.BadRequest), "status");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/robot/read?take=-1", HttpStatusCode.BadRequest), "take");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/robot/read?skip=abc", HttpStatusCode.BadRequest), "skip");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/robot/read?group=xyz", HttpStatusCode.BadRequest), "group");
        // A well-formed id that names nothing is a 404, 0 included; only a malformed reference is a 400.
        await api.GetAsync("/api/robotGroup/read/0", HttpStatusCode.NotFound);
        await api.GetAsync("/api/robot/read/0", HttpStatusCode.NotFound);
        using var admin = fixture.Admin;
        await ProblemAssert.NamesFieldAsync(admin.GetAsync("/api/account/read/not-an-account", HttpStatusCode.BadRequest), "guid");
        await ProblemAssert.NamesFieldAsync(admin.DeleteAsync("/api/account/delete/-5", expected: HttpStatusCode.BadRequest), "guid");
        await ProblemAssert.NamesFieldAsync(admin.PutAsync("/api/account/update", """{"Guid": "99999999999999999999999", "FirstName": "x"}""", HttpStatusCode.BadRequest), "Guid");
        await admin.GetAsync($"/api/account/read/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await admin.GetAsync("/api/account/read/999999999", HttpStatusCode.NotFound);
        await ProblemAssert.NamesFieldAsync(api.DeleteAsync("/api/robot/delete/%20", expected: HttpStatusCode.BadRequest), "guid");
        await api.GetAsync($"/api/robot/read/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await api.GetAsync("/api/robot/read/999999999", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("999999999")]
    public async Task A_well_formed_id_that_names_nothing_is_a_404_wherever_it_is_sent(string id)
    {
        using var api = await fixture.NewAccountAsync();
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "g"}""")).GetProperty("GUID").GetGuid();

        await api.GetAsync($"/api/robot/read/{id}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/robot/getStatus/{id}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/robot/read?group={id}", HttpStatusCode.NotFound);
        await api.PutAsync("/api/robot/update", $$"""{"GUID": {{id}}, "Name": "n"}""", HttpStatusCode.NotFound);
        await api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{id}}", "Status": 4}""", HttpStatusCode.NotFound);
        await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": {{id}}}""", HttpStatusCode.NotFound);
        await api.DeleteAsync($"/api/robot/delete/{id}", expected: HttpStatusCode.NotFound);
        await api.GetAsync($"/api/robotGroup/read/{id}", HttpStatusCode.NotFound);
        await api.PutAsync("/api/robotGroup/update", $$"""{"GUID": {{id}}, "Name": "n"}""", HttpStatusCode.NotFound);
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": {{id}}, "RobotGuid": "{{robot}}"}""", HttpStatusCode.NotFound);
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": {{id}}}""", HttpStatusCode.NotFound);
        await api.DeleteAsync("/api/robotGroup/removeRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{id}}"}""", HttpStatusCode.NotFound);
        await api.DeleteAsync($"/api/robotGroup/delete/{id}", expected: HttpStatusCode.NotFound);
        using var admin = fixture.Admin;
        await admin.GetAsync($"/api/account/read/{id}", HttpStatusCode.NotFound);
        await admin.PutAsync("/api/account/update", $$"""{"Guid": {{id}}, "FirstName": "x"}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Keys_must_be_printable_ascii_and_a_tenant_cannot_take_the_administrators_login()
    {
        using var api = await fixture.NewAccountAsync();

        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/key", """{"Key": "ключ-ключ-ключ-ключ-ключ-ключ-ключ-ключ"}""", HttpStatusCode.BadRequest), "Key");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/key", """{"Key": "0123456789012345678901234567890123456789\u0007"}""", HttpStatusCode.BadRequest), "Key");
        var login = (await api.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = fixture.Admin;
        var guid = (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == login).GetProperty("guid").GetGuid();
        var conflict = await api.PutAsync("/api/account/update", $$"""{"Guid": "{{guid}}", "Login": "admin"}""", HttpStatusCode.Conflict);
        Assert.Equal("Login", conflict.GetProperty("field").GetString());
        Assert.Equal(login, (await api.GetAsync("/api/key")).GetProperty("login").GetString());
        Assert.Equal("admin", (await admin.GetAsync("/api/key")).GetProperty("login").GetString());
    }

    /// <summary>Values meant to break a query, an encoding or a length limit, sent as text.</summary>
    public static readonly string[] HostileTexts =
    [
        "'; DROP TABLE robots; --",
        "\" OR 1=1 --",
        "Robert'); DELETE FROM accounts WHERE ('1'='1",
        "%' OR name LIKE '%",
        "\\\\' \\\\\" \\\\0",
        "🤖 робот ロボット ‮evil",
        "\uFEFF\u200B zero width \u2028 separator",
        "\uD800 lone surrogate",
        "nul \u0000 inside",
        "tab\tand\r\nbreak",
        "\u0085 next line",
        new('x', 256),
        new('y', 257),
        new('z', 4001),
        "   ",
        "",
    ];

    /// <summary>References that name nothing, or nothing well-formed.</summary>
    public static readonly string[] HostileReferences =
    [
        "0", "-1", "00", "1.5", "1e3", "0x10", "9223372036854775807", "9223372036854775808", "99999999999999999999",
        "00000000-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000001}", "1; DROP TABLE robots", "' OR '1'='1",
        "%2e%2e%2f", "../..", "\uD800", "🤖", " ", new('9', 5000),
    ];

    [Fact]
    public async Task Hostile_text_aimed_at_existing_records_is_refused_or_stored_exactly_as_sent()
    {
        using var api = await fixture.NewAccountAsync();
        var (robot, group, account) = await ExistingRecordsAsync(api);

        foreach (var text in HostileTexts)
        {
            var json = JsonSerializer.Serialize(text);

            // Exactly as sent, once in UTF-8: a lone surrogate cannot travel, and arrives as U+FFFD.
            var sent = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            var name = sent.Trim();
            await Stored(api.SendAsync(HttpMethod.Put, "/api/robot/update", $$"""{"GUID": "{{robot}}", "Name": {{json}}}"""), "Name",
                async () => Assert.Equal(name, (await api.GetAsync($"/api/robot/read/{robot}")).GetProperty("Name").GetString()));
            await Stored(api.SendAsync(HttpMethod.Put, "/api/robot/update", $$"""{"GUID": "{{robot}}", "Description": {{json}}}"""), "Description",
                async () => Assert.Equal(sent, (await api.GetAsync($"/api/robot/read/{robot}")).GetProperty("Description").GetString()));
            await Stored(api.SendAsync(HttpMethod.Put, "/api/robotGroup/update", $$"""{"GUID": "{{group}}", "Name": {{json}}, "Description": {{json}}}"""), "Name",
                async () =>
                {
                    var read = await api.GetAsync($"/api/robotGroup/read/{group}");
                    Assert.Equal(name, read.GetProperty("name").GetString());
                    Assert.Equal(sent, read.GetProperty("description").GetString());
                });
            await Stored(api.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": {{json}}, "IP": {{json}}, "MAC": {{json}}}"""), "Machine",
                async () =>
                {
                    var read = await api.GetAsync($"/api/robot/read/{robot}");
                    Assert.Equal(sent, read.GetProperty("Machine").GetString());
                    Assert.Equal(sent, read.GetProperty("IP").GetString());
                });
            await Stored(api.SendAsync(HttpMethod.Put, "/api/account/update", $$"""{"Guid": "{{account}}", "FirstName": {{json}}, "Company": {{json}}}"""), "FirstName",
                async () => Assert.Equal(sent, (await api.GetAsync($"/api/account/read/{account}")).GetProperty("first_name").GetString()));
        }

        // Whatever was accepted, the records are still there, still the account's, still one of each.
        Assert.Equal([robot], (await api.GetAsync("/api/robot/read")).EnumerateArray().Select(r => r.GetProperty("GUID").GetGuid()));
        Assert.Equal([robot], (await api.GetAsync($"/api/robotGroup/read/{group}")).GetProperty("robots").EnumerateArray().Select(r => r.GetGuid()));
        await api.GetAsync("/api/key");
    }

    [Fact]
    public async Task Hostile_references_and_numbers_next_to_existing_records_change_nothing()
    {
        using var api = await fixture.NewAccountAsync();
        var (robot, group, account) = await ExistingRecordsAsync(api);
        var before = await SnapshotAsync(api, robot, group, account);

        foreach (var reference in HostileReferences)
        {
            var json = JsonSerializer.Serialize(reference);
            var path = Uri.EscapeDataString(reference);
            foreach (var (verb, target, body) in new (string, string, string?)[]
            {
                ("GET", $"/api/robot/read/{path}", null),
                ("GET", $"/api/robot/getStatus/{path}", null),
                ("GET", $"/api/robot/read?group={path}", null),
                ("GET", $"/api/robotGroup/read/{path}", null),
                ("GET", $"/api/account/read/{path}", null),
                ("DELETE", $"/api/robot/delete/{path}", null),
                ("DELETE", $"/api/account/delete/{path}", null),
                ("PUT", "/api/robot/update", $$"""{"GUID": {{json}}, "Name": "taken"}"""),
                ("PUT", "/api/robot/setStatus", $$"""{"GUID": {{json}}, "Status": 4}"""),
                ("POST", "/api/robot/heartbeat", $$"""{"GUID": {{json}}, "Machine": "taken"}"""),
                ("PUT", "/api/robotGroup/update", $$"""{"GUID": {{json}}, "Name": "taken"}"""),
                ("PUT", "/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": {{json}}, "RobotGuid": "{{robot}}"}"""),
                ("PUT", "/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": {{json}}}"""),
                ("DELETE", "/api/robotGroup/removeRobot", $$"""{"RobotGroupGuid": {{json}}, "RobotGuid": "{{robot}}"}"""),
                ("DELETE", "/api/robotGroup/removeRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": {{json}}}"""),
                ("DELETE", $"/api/robotGroup/delete/{group}", $$"""{"RobotGuid": {{json}}}"""),
                ("DELETE", $"/api/robotGroup/delete/{path}", $$"""{"RobotGuid": "{{robot}}"}"""),
                ("DELETE", $"/api/robotGroup/delete/{path}", null),
                ("PUT", "/api/account/update", $$"""{"Guid": {{json}}, "FirstName": "taken"}"""),
            })
            {
                await Refused(api.SendAsync(new HttpMethod(verb), target, body), $"{verb} {target} {body}");
            }
        }

        // Out-of-range and ill-typed numbers, aimed at the existing robot.
        var illTyped = new[] { "2147483648", "-2147483649", "1e400", "1.5", "\"NaN\"", "true", "[]", "{}", "\"0x4\"", "\"\"" };
        foreach (var number in illTyped.Concat(["-1", "5", "7"]))
        {
            await Refused(api.SendAsync(HttpMethod.Put, "/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "Status": {{number}}}"""), $"setStatus {number}");
            await Refused(api.SendAsync(HttpMethod.Put, "/api/robot/update", $$"""{"GUID": "{{robot}}", "Status": {{number}}, "Name": "taken"}"""), $"update Status {number}");
        }

        foreach (var number in illTyped.Concat(["-1", "61", "\"-5\""]))
        {
            await Refused(api.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Wait": {{number}}, "Machine": "taken"}"""), $"heartbeat Wait {number}");
        }

        foreach (var number in new[] { "-1", "9223372036854775808", "1e400", "1.5", "\"NaN\"", "true", "[]" })
        {
            await Refused(api.SendAsync(HttpMethod.Post, "/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Ack": {{number}}, "Machine": "taken"}"""), $"heartbeat Ack {number}");
        }

        Assert.Equal(before, await SnapshotAsync(api, robot, group, account));
    }

    /// <summary>A robot (heartbeating, in a group), the group, and the caller's own account.</summary>
    private async Task<(Guid Robot, Guid Group, Guid Account)> ExistingRecordsAsync(ApiClient api)
    {
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "target", "Description": "d"}""")).GetProperty("GUID").GetGuid();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "targets"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
        await api.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": "WS-1"}""");
        var login = (await api.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = fixture.Admin;
        var account = (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == login).GetProperty("guid").GetGuid();
        return (robot, group, account);
    }

    /// <summary>What the caller can read of its records, less the clock-driven fields.</summary>
    private static async Task<string> SnapshotAsync(ApiClient api, Guid robot, Guid group, Guid account)
    {
        var read = await api.GetAsync($"/api/robot/read/{robot}");
        var list = await api.GetAsync("/api/robot/read");
        var groups = await api.GetAsync("/api/robotGroup/list");
        var own = await api.GetAsync($"/api/account/read/{account}");
        return string.Join(
            "\n",
            $"{read.GetProperty("Name")} {read.GetProperty("Description")} {read.GetProperty("Machine")} {read.GetProperty("Status")} {read.GetProperty("UpdatedAt")}",
            string.Join(",", list.EnumerateArray().Select(r => r.GetProperty("GUID").GetString())),
            groups.GetRawText(),
            $"{own.GetProperty("login")} {own.GetProperty("first_name")} {own.GetProperty("updated")}");
    }

    /// <summary>A 4xx problem naming <paramref name="field"/>, or a 2xx after which <paramref name="check"/> finds the value stored.</summary>
    private static async Task Stored(Task<HttpResponseMessage> send, string field, Func<Task> check)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            await check();
            return;
        }

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 200 or 400, got {(int)response.StatusCode}: {text}");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Any(), text);
    }

    /// <summary>A 4xx problem: the value names nothing of the caller's, or nothing valid.</summary>
    private static async Task Refused(Task<HttpResponseMessage> send, string what)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bodies_are_read_whatever_content_type_the_client_declares()
    {
        using var api = await fixture.NewAccountAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "/api/robot/create", """{"Name": "form-posted"}""", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedBadInputTests(EmbeddedFixture fixture) : BadInputTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBadInputTests(PostgresFixture fixture) : BadInputTests(fixture);
