using System.Net;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>No account reaches another's records: another account's GUID or id is a 404 with no data.</summary>
public abstract class TenancyTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Another_accounts_robots_and_groups_answer_404_to_every_call()
    {
        using var owner = await fixture.NewAccountAsync();
        using var intruder = await fixture.NewAccountAsync();
        var robotCreated = await owner.PostAsync("/api/robot/create", """{"Name": "private robot"}""");
        var robot = robotCreated.GetProperty("GUID").GetGuid();
        var robotId = robotCreated.GetProperty("id").GetInt64();
        var groupCreated = await owner.PostAsync("/api/robotGroup/create", """{"Name": "private group"}""");
        var group = groupCreated.GetProperty("GUID").GetGuid();
        var groupId = groupCreated.GetProperty("id").GetInt64();
        var ownGroup = (await intruder.PostAsync("/api/robotGroup/create", """{"Name": "mine"}""")).GetProperty("GUID").GetGuid();
        var ownRobot = (await intruder.PostAsync("/api/robot/create", """{"Name": "mine"}""")).GetProperty("GUID").GetGuid();

        // The positive control: the same numeric ids do resolve for their owner, so the 404s below mean "not yours".
        Assert.Equal(robot, (await owner.GetAsync($"/api/robot/read/{robotId}")).GetProperty("GUID").GetGuid());
        Assert.Equal(group, (await owner.GetAsync($"/api/robotGroup/read/{groupId}")).GetProperty("guid").GetGuid());

        foreach (var reference in new object[] { robot, robotId })
        {
            var problem = await intruder.GetAsync($"/api/robot/read/{reference}", HttpStatusCode.NotFound);
            Assert.DoesNotContain("private robot", problem.GetRawText());
            await intruder.GetAsync($"/api/robot/getStatus/{reference}", HttpStatusCode.NotFound);
            await intruder.PutAsync("/api/robot/update", $$"""{"GUID": "{{reference}}", "Name": "taken over"}""", HttpStatusCode.NotFound);
            await intruder.PutAsync("/api/robot/setStatus", $$"""{"GUID": "{{reference}}", "Status": 4}""", HttpStatusCode.NotFound);
            await intruder.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{reference}}"}""", HttpStatusCode.NotFound);
            await intruder.DeleteAsync($"/api/robot/delete/{reference}", expected: HttpStatusCode.NotFound);
            await intruder.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{ownGroup}}", "RobotGuid": "{{reference}}"}""", HttpStatusCode.NotFound);
        }

        foreach (var reference in new object[] { group, groupId })
        {
            await intruder.GetAsync($"/api/robotGroup/read/{reference}", HttpStatusCode.NotFound);
            await intruder.PutAsync("/api/robotGroup/update", $$"""{"GUID": "{{reference}}", "Name": "taken over"}""", HttpStatusCode.NotFound);
            await intruder.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{reference}}", "RobotGuid": "{{ownRobot}}"}""", HttpStatusCode.NotFound);
            await intruder.DeleteAsync($"/api/robotGroup/delete/{reference}", expected: HttpStatusCode.NotFound);
            await intruder.GetAsync($"/api/robot/read?group={reference}", HttpStatusCode.NotFound);
        }

        // Membership: the intruder can neither take the owner's robot out of the owner's group nor see it happen.
        await owner.PutAsync("/api/robotGroup/addRobot", $$"""{"RobotGroupGuid": "{{group}}", "RobotGuid": "{{robot}}"}""");
        foreach (var (g, r) in new[] { ((object)group, (object)robot), (groupId, robotId) })
        {
            await intruder.DeleteAsync("/api/robotGroup/removeRobot", $$"""{"RobotGroupGuid": "{{g}}", "RobotGuid": "{{r}}"}""", HttpStatusCode.NotFound);
            await intruder.DeleteAsync($"/api/robotGroup/delete/{g}", $$"""{"RobotGroupGuid": "{{g}}", "RobotGuid": "{{r}}"}""", HttpStatusCode.NotFound);
        }

        Assert.Equal(robot, Assert.Single((await owner.GetAsync($"/api/robotGroup/read/{group}")).GetProperty("robots").EnumerateArray()).GetGuid());
        Assert.DoesNotContain("private", (await intruder.GetAsync("/api/robot/read")).GetRawText());
        Assert.DoesNotContain("private", (await intruder.GetAsync("/api/robotGroup/list")).GetRawText());

        // The owner's records are untouched.
        var untouched = await owner.GetAsync($"/api/robot/read/{robot}");
        Assert.Equal("private robot", untouched.GetProperty("Name").GetString());
        Assert.Equal(0, untouched.GetProperty("Status").GetInt32());
        Assert.Equal("private group", (await owner.GetAsync($"/api/robotGroup/read/{group}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Another_account_is_404_to_a_tenant_by_guid_and_by_numeric_id()
    {
        using var tenant = await fixture.NewAccountAsync();
        using var admin = fixture.Admin;
        var other = await admin.PostAsync("/api/account/create", $$"""{"Login": "{{Guid.NewGuid()}}", "Password": "p", "FirstName": "Hidden"}""");

        foreach (var reference in new object[] { other.GetProperty("guid").GetGuid(), other.GetProperty("id").GetInt64() })
        {
            var problem = await tenant.GetAsync($"/api/account/read/{reference}", HttpStatusCode.NotFound);
            Assert.DoesNotContain("Hidden", problem.GetRawText());
            await tenant.PutAsync("/api/account/update", $$"""{"Guid": "{{reference}}", "FirstName": "x"}""", HttpStatusCode.NotFound);
        }

        Assert.Equal("Hidden", (await admin.GetAsync($"/api/account/read/{other.GetProperty("id").GetInt64()}")).GetProperty("first_name").GetString());
    }

    [Fact]
    public async Task Names_are_unique_per_account_not_across_accounts()
    {
        using var first = await fixture.NewAccountAsync();
        using var second = await fixture.NewAccountAsync();

        await first.PostAsync("/api/robot/create", """{"Name": "Robot-1"}""");
        await second.PostAsync("/api/robot/create", """{"Name": "Robot-1"}""");
        await first.PostAsync("/api/robotGroup/create", """{"Name": "Finance"}""");
        await second.PostAsync("/api/robotGroup/create", """{"Name": "Finance"}""");
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedTenancyTests(EmbeddedFixture fixture) : TenancyTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTenancyTests(PostgresFixture fixture) : TenancyTests(fixture);
