using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Storage;

/// <summary>
/// The reminder queries in sql/ (ours to write for SQLite) against the real Orleans ADO.NET reminder
/// provider, on both databases.
/// </summary>
public abstract class ReminderTableTests(OrchestratorFixture fixture)
{
    [Fact]
    public async Task Reminders_are_upserted_read_and_removed()
    {
        var table = fixture.Host.Services.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("trigger", Guid.NewGuid().ToString("N"));
        var start = new DateTime(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc);

        var etag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "fire", StartAt = start, Period = TimeSpan.FromMinutes(1) });
        await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "backstop", StartAt = start, Period = TimeSpan.FromMinutes(5) });
        var updatedEtag = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "fire", StartAt = start, Period = TimeSpan.FromMinutes(2) });

        Assert.NotEqual(etag, updatedEtag);
        var fire = Assert.IsType<ReminderEntry>(await table.ReadRow(grain, "fire"));
        Assert.Equal(TimeSpan.FromMinutes(2), fire.Period);
        Assert.Equal(start, fire.StartAt.ToUniversalTime());
        Assert.Equal(2, (await table.ReadRows(grain)).Reminders.Count);
        Assert.Contains((await table.ReadRows(0, 0)).Reminders, r => r.GrainId == grain && r.ReminderName == "backstop");

        Assert.False(await table.RemoveRow(grain, "fire", etag!));
        Assert.True(await table.RemoveRow(grain, "fire", updatedEtag!));
        Assert.Equal("backstop", Assert.Single((await table.ReadRows(grain)).Reminders).ReminderName);
    }
}

[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedReminderTableTests(EmbeddedFixture fixture) : ReminderTableTests(fixture);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReminderTableTests(PostgresFixture fixture) : ReminderTableTests(fixture);
