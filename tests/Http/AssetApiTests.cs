using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;
using static Orchestrator.Tests.Infrastructure.JobApiScenario;

namespace Orchestrator.Tests.Http;

/// <summary>API.md §11 through real HTTP, on both wirings: every call, the visibility matrix, tenancy and bad input.</summary>
public abstract class AssetApiTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task A_credential_reads_back_with_its_password_and_the_list_never_shows_it()
    {
        using var api = await fixture.NewAccountAsync();
        var created = await api.PostAsync("/api/asset/create", """
                {
                    "Name": "SAP login",
                    "Description": "the SAP robot's account",
                    "Type": 1,
                    "Text": "sap-user",
                    "Password": "S3cret-pässword",
                    "PasswordExpiration": "2099-01-02 03:04:05",
                }
            """);
        var guid = created.GetProperty("guid").GetGuid();
        Assert.Equal(guid, created.GetProperty("GUID").GetGuid());

        var asset = await api.GetAsync($"/api/asset/read/{guid}");
        Assert.Equal(created.GetProperty("id").GetInt64(), asset.GetProperty("id").GetInt64());
        Assert.Equal("SAP login", asset.GetProperty("name").GetString());
        Assert.Equal("the SAP robot's account", asset.GetProperty("description").GetString());
        Assert.Equal(1, asset.GetProperty("type").GetInt32());
        Assert.Equal("sap-user", asset.GetProperty("text").GetString());
        Assert.Equal("S3cret-pässword", asset.GetProperty("password").GetString());
        Assert.Equal("2099-01-02 03:04:05", asset.GetProperty("password_expiration").GetString());
        Assert.False(asset.GetProperty("expired").GetBoolean());
        Assert.Equal(3, asset.GetProperty("robot_type").GetInt32());
        Assert.Equal(JsonValueKind.Null, asset.GetProperty("robot_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, asset.GetProperty("robot_group_id").ValueKind);
        Assert.Equal(0, asset.GetProperty("is_deleted").GetInt32());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", asset.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", asset.GetProperty("updated_at").GetString());
        Assert.Equal(guid, (await api.GetAsync($"/api/asset/read/{asset.GetProperty("id").GetInt64()}")).GetProperty("guid").GetGuid());

        var listed = Assert.Single((await api.GetAsync("/api/asset/list")).EnumerateArray());
        Assert.Equal(guid, listed.GetProperty("guid").GetGuid());
        Assert.False(listed.TryGetProperty("password", out _));
        Assert.DoesNotContain("S3cret", listed.GetRawText());
    }

    [Fact]
    public async Task A_credential_past_its_expiration_is_read_as_expired()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = await RobotAsync(api, "r");
        var guid = await CreateAsync(api, """{"Name": "old", "Type": 1, "Text": "u", "Password": "p", "PasswordExpiration": 1590481487}""");
        await CreateAsync(api, """{"Name": "fresh", "Type": 1, "Text": "u", "Password": "p"}""");

        Assert.True((await api.GetAsync($"/api/asset/read/{guid}")).GetProperty("expired").GetBoolean());
        Assert.Equal("2020-05-26 08:24:47", (await api.GetAsync($"/api/asset/read/{guid}")).GetProperty("password_expiration").GetString());
        Assert.True((await api.GetAsync($"/api/asset/byName/old?robot={robot}")).GetProperty("expired").GetBoolean());
        Assert.False((await api.GetAsync($"/api/asset/byName/fresh?robot={robot}")).GetProperty("expired").GetBoolean());
        var list = (await api.GetAsync("/api/asset/list")).EnumerateArray().ToList();
        Assert.Equal([true, false], list.Select(a => a.GetProperty("expired").GetBoolean()));

        // Clearing the expiration un-expires it.
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "PasswordExpiration": 0}""");
        Assert.False((await api.GetAsync($"/api/asset/read/{guid}")).GetProperty("expired").GetBoolean());
    }

    [Fact]
    public async Task Text_and_calendar_assets_hold_their_text_and_a_calendar_must_be_dates()
    {
        using var api = await fixture.NewAccountAsync();
        var text = await CreateAsync(api, """{"Name": "url", "Type": "2", "Text": "https://erp.example.com"}""");
        var calendar = await CreateAsync(api, """{"Name": "holidays", "Type": 3, "Text": "[\"2026-01-01\", \"2026-01-07\"]"}""");

        Assert.Equal("https://erp.example.com", (await api.GetAsync($"/api/asset/read/{text}")).GetProperty("text").GetString());
        Assert.Equal("[\"2026-01-01\", \"2026-01-07\"]", (await api.GetAsync($"/api/asset/read/{calendar}")).GetProperty("text").GetString());

        foreach (var bad in new[] { "\"not json\"", "\"{}\"", "\"[\\\"2026-13-01\\\"]\"", "\"[1]\"", "\"[\\\"01.01.2026\\\"]\"" })
        {
            await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/asset/create", $$"""{"Name": "c", "Type": 3, "Text": {{bad}}}""", HttpStatusCode.BadRequest), "Text");
            await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", $$"""{"Guid": "{{calendar}}", "Text": {{bad}}}""", HttpStatusCode.BadRequest), "Text");
        }

        // A text that is not a calendar cannot become one without dates.
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", $$"""{"Guid": "{{text}}", "Type": 3}""", HttpStatusCode.BadRequest), "Text");
        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/asset/create", """{"Name": "t", "Type": 2, "Password": "x"}""", HttpStatusCode.BadRequest), "Password");
        Assert.Equal("[\"2026-01-01\", \"2026-01-07\"]", (await api.GetAsync($"/api/asset/read/{calendar}")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Update_changes_what_robots_read_at_once_and_delete_hides_it()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = await RobotAsync(api, "r");
        var guid = await CreateAsync(api, """{"Name": "login", "Type": 1, "Text": "first", "Password": "one"}""");
        Assert.Equal("one", (await api.GetAsync($"/api/asset/byName/login?robot={robot}")).GetProperty("password").GetString());

        Assert.Equal(0, (await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "Text": "second", "Password": "two"}""")).GetArrayLength());
        var read = await api.GetAsync($"/api/asset/byName/login?robot={robot}");
        Assert.Equal("second", read.GetProperty("text").GetString());
        Assert.Equal("two", read.GetProperty("password").GetString());

        // A rename: the old name is gone for robots, the new one answers.
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "Name": "renamed", "Description": "d"}""");
        await api.GetAsync($"/api/asset/byName/login?robot={robot}", HttpStatusCode.NotFound);
        Assert.Equal("two", (await api.GetAsync($"/api/asset/byName/renamed?robot={robot}")).GetProperty("password").GetString());

        // A type change away from a credential drops the password.
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "Type": 2}""");
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync($"/api/asset/read/{guid}")).GetProperty("password").ValueKind);

        Assert.Equal(0, (await api.DeleteAsync($"/api/asset/delete/{guid}")).GetArrayLength());
        await api.GetAsync($"/api/asset/read/{guid}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/renamed?robot={robot}", HttpStatusCode.NotFound);
        await api.DeleteAsync($"/api/asset/delete/{guid}", expected: HttpStatusCode.NotFound);
        Assert.Equal(0, (await api.GetAsync("/api/asset/list")).GetArrayLength());

        // The name is free again, and a robot that asked for it while absent sees the new asset.
        await CreateAsync(api, """{"Name": "renamed", "Type": 2, "Text": "back"}""");
        Assert.Equal("back", (await api.GetAsync($"/api/asset/byName/renamed?robot={robot}")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Names_are_unique_per_account_among_live_assets()
    {
        using var api = await fixture.NewAccountAsync();
        using var other = await fixture.NewAccountAsync();
        var first = await CreateAsync(api, """{"Name": "same", "Type": 2}""");
        var second = await CreateAsync(api, """{"Name": "second", "Type": 2}""");

        var conflict = await api.PostAsync("/api/asset/create", """{"Name": "same", "Type": 2}""", HttpStatusCode.Conflict);
        Assert.Equal("Name", conflict.GetProperty("field").GetString());
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{second}}", "Name": "same"}""", HttpStatusCode.Conflict);
        await CreateAsync(other, """{"Name": "same", "Type": 2}""");

        var list = (await api.GetAsync("/api/asset/list")).EnumerateArray().Select(a => a.GetProperty("guid").GetGuid()).ToList();
        Assert.Equal([first, second], list);
        Assert.Equal([second], (await api.GetAsync("/api/asset/list?skip=1&take=1")).EnumerateArray().Select(a => a.GetProperty("guid").GetGuid()));
        Assert.Equal(2, (await api.GetAsync("/api/asset/list?type=2")).GetArrayLength());
        Assert.Equal(0, (await api.GetAsync("/api/asset/list?type=1")).GetArrayLength());
    }

    [Fact]
    public async Task Visibility_decides_which_robots_read_an_asset_by_name()
    {
        using var api = await fixture.NewAccountAsync();
        var member = await RobotAsync(api, "member");
        var outsider = await RobotAsync(api, "outsider");
        var memberId = (await api.GetAsync($"/api/robot/read/{member}")).GetProperty("id").GetInt64();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{member}}"}""");

        await CreateAsync(api, """{"Name": "everyone", "Type": 2, "Text": "all", "RobotType": 3}""");
        await CreateAsync(api, """{"Name": "default", "Type": 2, "Text": "all"}""");
        var forGroup = await CreateAsync(api, $$"""{"Name": "crew only", "Type": 2, "Text": "g", "RobotType": 2, "RobotGroupId": "{{group}}"}""");
        var forRobot = await CreateAsync(api, $$"""{"Name": "member only", "Type": 1, "Text": "u", "Password": "p", "RobotType": 1, "RobotId": {{memberId}}}""");

        foreach (var robot in new object[] { member, outsider, memberId })
        {
            await api.GetAsync($"/api/asset/byName/everyone?robot={robot}");
            await api.GetAsync($"/api/asset/byName/default?robot={robot}");
        }

        Assert.Equal("g", (await api.GetAsync($"/api/asset/byName/crew%20only?robot={member}")).GetProperty("text").GetString());
        Assert.Equal("p", (await api.GetAsync($"/api/asset/byName/member%20only?robot={member}")).GetProperty("password").GetString());
        var hidden = await api.GetAsync($"/api/asset/byName/member%20only?robot={outsider}", HttpStatusCode.NotFound);
        Assert.DoesNotContain("\"p\"", hidden.GetRawText());
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={outsider}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/nothing?robot={member}", HttpStatusCode.NotFound);

        var read = await api.GetAsync($"/api/asset/read/{forRobot}");
        Assert.Equal(1, read.GetProperty("robot_type").GetInt32());
        Assert.Equal(memberId, read.GetProperty("robot_id").GetInt64());
        Assert.Equal(2, (await api.GetAsync($"/api/asset/read/{forGroup}")).GetProperty("robot_type").GetInt32());

        // Membership changes apply at once: out of the group, out of sight; the outsider in, in sight.
        await api.DeleteAsync("/api/robotGroup/removeRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{member}}"}""");
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{outsider}}"}""");
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={member}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={outsider}");

        // So do rule changes: the robot-only credential handed to the outsider, then opened to all.
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{forRobot}}", "RobotId": "{{outsider}}"}""");
        await api.GetAsync($"/api/asset/byName/member%20only?robot={member}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/member%20only?robot={outsider}");
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{forRobot}}", "RobotType": 3}""");
        await api.GetAsync($"/api/asset/byName/member%20only?robot={member}");
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync($"/api/asset/read/{forRobot}")).GetProperty("robot_id").ValueKind);

        // A deleted group hides its assets from its former members.
        await api.DeleteAsync($"/api/robotGroup/delete/{group}");
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={outsider}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_robot_or_group_named_without_a_RobotType_is_the_one_that_sees_the_asset()
    {
        using var api = await fixture.NewAccountAsync();
        var owner = await RobotAsync(api, "owner");
        var other = await RobotAsync(api, "other");
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();

        var credential = await CreateAsync(api, $$"""{"Name": "owner's login", "Type": 1, "Text": "u", "Password": "secret", "RobotId": "{{owner}}"}""");
        var forGroup = await CreateAsync(api, $$"""{"Name": "crew's text", "Type": 2, "Text": "t", "RobotGroupId": "{{group}}"}""");

        Assert.Equal(1, (await api.GetAsync($"/api/asset/read/{credential}")).GetProperty("robot_type").GetInt32());
        Assert.Equal(2, (await api.GetAsync($"/api/asset/read/{forGroup}")).GetProperty("robot_type").GetInt32());
        Assert.Equal("secret", (await api.GetAsync($"/api/asset/byName/owner's%20login?robot={owner}")).GetProperty("password").GetString());
        await api.GetAsync($"/api/asset/byName/owner's%20login?robot={other}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/crew's%20text?robot={other}", HttpStatusCode.NotFound);

        // The same on update: a text for all, then named for one robot.
        var text = await CreateAsync(api, """{"Name": "shared", "Type": 2, "Text": "t"}""");
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{text}}", "RobotId": "{{owner}}"}""");
        await api.GetAsync($"/api/asset/byName/shared?robot={other}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/shared?robot={owner}");
    }

    [Fact]
    public async Task Robots_and_groups_seen_by_a_read_change_for_the_next_read()
    {
        using var api = await fixture.NewAccountAsync();
        var robot = await RobotAsync(api, "reader");
        var robotId = (await api.GetAsync($"/api/robot/read/{robot}")).GetProperty("id").GetInt64();
        var group = (await api.PostAsync("/api/robotGroup/create", """{"Name": "crew"}""")).GetProperty("GUID").GetGuid();
        var other = (await api.PostAsync("/api/robotGroup/create", """{"Name": "other crew"}""")).GetProperty("GUID").GetGuid();
        await CreateAsync(api, """{"Name": "open", "Type": 2, "Text": "o"}""");
        await CreateAsync(api, $$"""{"Name": "crew only", "Type": 2, "Text": "g", "RobotType": 2, "RobotGroupId": "{{group}}"}""");

        // Each read below follows a read by the same robot (by GUID and by id), so a stale answer would come from memory.
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robot}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robotId}", HttpStatusCode.NotFound);
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robot}");
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robotId}");

        // A membership of another group changes nothing; deleting the group the asset names hides it.
        await api.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{other}}", "RobotGuid": "{{robot}}"}""");
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robot}");
        await api.DeleteAsync($"/api/robotGroup/delete/{group}");
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robot}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/crew%20only?robot={robotId}", HttpStatusCode.NotFound);

        // A deleted robot reads nothing, by GUID or by id, even what is open to all.
        Assert.Equal("o", (await api.GetAsync($"/api/asset/byName/open?robot={robot}")).GetProperty("text").GetString());
        Assert.Equal("o", (await api.GetAsync($"/api/asset/byName/open?robot={robotId}")).GetProperty("text").GetString());
        await api.DeleteAsync($"/api/robot/delete/{robot}");
        await api.GetAsync($"/api/asset/byName/open?robot={robot}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/byName/open?robot={robotId}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_accounts_assets_and_robots_answer_404()
    {
        using var owner = await fixture.NewAccountAsync();
        using var intruder = await fixture.NewAccountAsync();
        var ownerRobot = await RobotAsync(owner, "owner's");
        var intruderRobot = await RobotAsync(intruder, "intruder's");
        var created = await owner.PostAsync("/api/asset/create", """{"Name": "vault", "Type": 1, "Text": "u", "Password": "topsecret"}""");
        var guid = created.GetProperty("guid").GetGuid();

        foreach (var reference in new object[] { guid, created.GetProperty("id").GetInt64() })
        {
            var problem = await intruder.GetAsync($"/api/asset/read/{reference}", HttpStatusCode.NotFound);
            Assert.DoesNotContain("topsecret", problem.GetRawText());
            await intruder.PutAsync("/api/asset/update", $$"""{"Guid": "{{reference}}", "Password": "mine"}""", HttpStatusCode.NotFound);
            await intruder.DeleteAsync($"/api/asset/delete/{reference}", expected: HttpStatusCode.NotFound);
        }

        await intruder.GetAsync($"/api/asset/byName/vault?robot={intruderRobot}", HttpStatusCode.NotFound);
        await intruder.GetAsync($"/api/asset/byName/vault?robot={ownerRobot}", HttpStatusCode.NotFound);
        await intruder.PostAsync("/api/asset/create", $$"""{"Name": "x", "Type": 2, "RobotType": 1, "RobotId": "{{ownerRobot}}"}""", HttpStatusCode.NotFound);
        Assert.Equal(0, (await intruder.GetAsync("/api/asset/list")).GetArrayLength());
        Assert.Equal("topsecret", (await owner.GetAsync($"/api/asset/byName/vault?robot={ownerRobot}")).GetProperty("password").GetString());
    }

    [Theory]
    [InlineData("""{"Type": 2}""", "Name")]
    [InlineData("""{"Name": "", "Type": 2}""", "Name")]
    [InlineData("""{"Name": "n"}""", "Type")]
    [InlineData("""{"Name": "n", "Type": 4}""", "Type")]
    [InlineData("""{"Name": "n", "Type": "credential"}""", "Type")]
    [InlineData("""{"Name": "n", "Type": 2, "RobotType": 0}""", "RobotType")]
    [InlineData("""{"Name": "n", "Type": 2, "RobotType": 1}""", "RobotId")]
    [InlineData("""{"Name": "n", "Type": 2, "RobotType": 2}""", "RobotGroupId")]
    [InlineData("""{"Name": "n", "Type": 2, "RobotType": 1, "RobotId": "robot-7"}""", "RobotId")]
    [InlineData("""{"Name": "n", "Type": 2, "RobotType": 2, "RobotGroupId": "x"}""", "RobotGroupId")]
    [InlineData("""{"Name": "n", "Type": 1, "PasswordExpiration": "next tuesday"}""", "PasswordExpiration")]
    [InlineData("""{"Name": "n", "Type": 2, "PasswordExpiration": 1590481487}""", "PasswordExpiration")]
    [InlineData("""{"Name": "n", "Type": 2, "Description": "a\u0000b"}""", "Description")]
    [InlineData("""{"Name": "n", "Type": 2, "Text": "a\u0000b"}""", "Text")]
    [InlineData("""{"Name": "n", "Type": 2, "Text": {"a": 1}}""", "Text")]
    [InlineData("""["n"]""", "body")]
    public async Task Create_with_bad_input_names_the_field(string body, string field)
    {
        using var api = await fixture.NewAccountAsync();

        await ProblemAssert.NamesFieldAsync(api.PostAsync("/api/asset/create", body, HttpStatusCode.BadRequest), field);

        Assert.Equal(0, (await api.GetAsync("/api/asset/list")).GetArrayLength());
    }

    [Fact]
    public async Task Update_read_delete_and_byName_with_bad_input_name_the_field()
    {
        using var api = await fixture.NewAccountAsync();
        var guid = await CreateAsync(api, """{"Name": "n", "Type": 1, "Password": "p"}""");
        var robot = await RobotAsync(api, "r");

        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", """{"Name": "x"}""", HttpStatusCode.BadRequest), "Guid");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", """{"Guid": "not-a-guid"}""", HttpStatusCode.BadRequest), "Guid");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "Type": 9}""", HttpStatusCode.BadRequest), "Type");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "RobotType": 1}""", HttpStatusCode.BadRequest), "RobotId");
        await ProblemAssert.NamesFieldAsync(api.PutAsync("/api/asset/update", $$"""{"Guid": "{{guid}}", "Name": "  "}""", HttpStatusCode.BadRequest), "Name");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/asset/read/not-a-guid", HttpStatusCode.BadRequest), "guid");
        await ProblemAssert.NamesFieldAsync(api.DeleteAsync("/api/asset/delete/not-a-guid", expected: HttpStatusCode.BadRequest), "guid");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/asset/byName/n", HttpStatusCode.BadRequest), "robot");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/asset/byName/n?robot=x", HttpStatusCode.BadRequest), "robot");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/asset/list?type=7", HttpStatusCode.BadRequest), "type");
        await ProblemAssert.NamesFieldAsync(api.GetAsync("/api/asset/list?take=-1", HttpStatusCode.BadRequest), "take");
        await api.GetAsync($"/api/asset/byName/n?robot={Guid.NewGuid()}", HttpStatusCode.NotFound);
        await api.GetAsync($"/api/asset/read/{Guid.NewGuid()}", HttpStatusCode.NotFound);
        await api.PutAsync("/api/asset/update", $$"""{"Guid": "{{Guid.NewGuid()}}", "Name": "x"}""", HttpStatusCode.NotFound);

        Assert.Equal("p", (await api.GetAsync($"/api/asset/byName/n?robot={robot}")).GetProperty("password").GetString());
    }

    internal static async Task<Guid> CreateAsync(ApiClient api, string body) =>
        (await api.PostAsync("/api/asset/create", body)).GetProperty("guid").GetGuid();
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedAssetApiTests(EmbeddedFixture fixture) : AssetApiTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAssetApiTests(PostgresFixture fixture) : AssetApiTests(fixture);
