using System.Net;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Cluster;

/// <summary>Two silos on one PostgreSQL database: any silo answers any call, and a revoked key dies on both at once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiSiloTests(PostgresFixture fixture)
{
    private OrchestratorTestHost First => fixture.Hosts[0];

    private OrchestratorTestHost Second => fixture.Hosts[1];

    [Fact]
    public async Task A_robot_created_through_one_silo_is_served_by_the_other()
    {
        using var first = await fixture.NewAccountAsync(First);
        using var second = Second.Client(first.Key!);

        var robot = (await first.PostAsync("/api/robot/create", """{"Name": "roaming"}""")).GetProperty("GUID").GetGuid();
        await second.PostAsync("/api/robot/heartbeat", $$"""{"GUID": "{{robot}}", "Machine": "WS-9"}""");

        var read = await first.GetAsync($"/api/robot/read/{robot}");
        Assert.Equal("WS-9", read.GetProperty("Machine").GetString());
        Assert.Equal(1, read.GetProperty("Status").GetInt32());
    }

    [Fact]
    public async Task A_key_refreshed_on_one_silo_stops_working_on_the_other_at_once()
    {
        using var onFirst = await fixture.NewAccountAsync(First);
        using var onSecond = Second.Client(onFirst.Key!);

        // Both silos have authenticated the key, so both have it cached.
        await onFirst.GetAsync("/api/key");
        await onSecond.GetAsync("/api/key");

        var fresh = (await onFirst.PostAsync("/api/key/refresh", "")).GetProperty("key").GetString()!;

        await onSecond.GetAsync("/api/key", HttpStatusCode.Unauthorized);
        await onFirst.GetAsync("/api/key", HttpStatusCode.Unauthorized);
        using var renewed = Second.Client(fresh);
        await renewed.GetAsync("/api/key");
    }

    [Fact]
    public async Task An_account_deleted_on_one_silo_is_locked_out_of_the_other_at_once()
    {
        using var tenant = await fixture.NewAccountAsync(Second);
        var login = (await tenant.GetAsync("/api/key")).GetProperty("login").GetString();
        using var admin = First.Client();
        var guid = (await admin.GetAsync("/api/account/list")).EnumerateArray().Single(a => a.GetProperty("login").GetString() == login).GetProperty("guid").GetGuid();

        await admin.DeleteAsync($"/api/account/delete/{guid}");

        await tenant.GetAsync("/api/robot/read", HttpStatusCode.Unauthorized);
    }
}
