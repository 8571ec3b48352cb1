using System.Net;
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

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Unknown_enum_values_and_bad_guids_are_400s_naming_the_field()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = (await api.PostAsync("/api/robot/create", """{"Name": "r"}""")).GetProperty("GUID").GetGuid();

        await ExpectField(api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}", "STATUS": 7}""", HttpStatusCode.BadRequest), "Status");
        await ExpectField(api.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{robot}}"}""", HttpStatusCode.BadRequest), "Status");
        await ExpectField(api.PutAsync("/api/robot/update", $$"""{"GUID": "{{robot}}", "Status": -1}""", HttpStatusCode.BadRequest), "Status");
        await ExpectField(api.PutAsync("/api/robot/update", """{"GUID": "{1234}", "Name": "n"}""", HttpStatusCode.BadRequest), "GUID");
        await ExpectField(api.GetAsync("/api/robot/read/not-a-guid", HttpStatusCode.BadRequest), "guid");
        await ExpectField(api.GetAsync("/api/robot/read?status=9", HttpStatusCode.BadRequest), "status");
        await ExpectField(api.GetAsync("/api/robot/read?take=-1", HttpStatusCode.BadRequest), "take");
        await ExpectField(api.GetAsync("/api/robot/read?skip=abc", HttpStatusCode.BadRequest), "skip");
        await ExpectField(api.GetAsync("/api/robot/read?group=xyz", HttpStatusCode.BadRequest), "group");
        // A well-formed id that names nothing is a 404, 0 included; only a malformed reference is a 400.
        await api.GetAsync("/api/robotGroup/read/0", HttpStatusCode.NotFound);
        await api.GetAsync("/api/robot/read/0", HttpStatusCode.NotFound);
        using var admin = fixture.Admin;
        await ExpectField(admin.GetAsync("/api/account/read/not-an-account", HttpStatusCode.BadRequest), "guid");
        await ExpectField(admin.DeleteAsync("/api/account/delete/-5", expected: HttpStatusCode.BadRequest), "guid");
        await ExpectField(admin.PutAsync("/api/account/update", """{"Guid": "99999999999999999999999", "FirstName": "x"}""", HttpStatusCode.BadRequest), "Guid");
        await admin.GetAsync($"/api/account/read/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await admin.GetAsync("/api/account/read/999999999", HttpStatusCode.NotFound);
        await ExpectField(api.DeleteAsync("/api/robot/delete/%20", expected: HttpStatusCode.BadRequest), "guid");
        await api.GetAsync($"/api/robot/read/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await api.GetAsync("/api/robot/read/999999999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Keys_must_be_printable_ascii_and_logins_change_only_by_administrators()
    {
        using var api = await fixture.NewAccountAsync();

        await ExpectField(api.PutAsync("/api/key", """{"Key": "ключ-ключ-ключ-ключ-ключ-ключ-ключ-ключ"}""", HttpStatusCode.BadRequest), "Key");
        await ExpectField(api.PutAsync("/api/key", """{"Key": "0123456789012345678901234567890123456789\u0007"}""", HttpStatusCode.BadRequest), "Key");
        var login = (await api.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = fixture.Admin;
        var guid = (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == login).GetProperty("guid").GetGuid();
        await api.PutAsync("/api/account/update", $$"""{"Guid": "{{guid}}", "Login": "admin"}""", HttpStatusCode.Forbidden);
        await api.GetAsync("/api/key");
    }

    [Fact]
    public async Task Bodies_are_read_whatever_content_type_the_client_declares()
    {
        using var api = await fixture.NewAccountAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "/api/robot/create", """{"Name": "form-posted"}""", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task ExpectField(Task<JsonElement> problem, string field)
    {
        var body = await problem;
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.GetRawText());
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedBadInputTests(EmbeddedFixture fixture) : BadInputTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBadInputTests(PostgresFixture fixture) : BadInputTests(fixture);
