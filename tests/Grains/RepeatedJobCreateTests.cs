using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Common;
using Orchestrator.Files;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.Tests.Infrastructure;
using Orchestrator.Triggers;

namespace Orchestrator.Tests.Grains;

/// <summary>A trigger's fire repeated with the same derived job GUID creates one job; any other create of an existing GUID is a conflict.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RepeatedJobCreateTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_repeated_create_of_a_triggers_job_answers_the_same_job_and_a_manual_duplicate_is_a_conflict()
    {
        var draft = new AccountDraft(Guid.NewGuid().ToString("N"), "hash", ApiKeys.Hash(ApiKeys.Generate()), false, new AccountProfile());
        var account = (await fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid()).CreateAsync(draft)).Id;
        var process = await fixture.Grains.GetGrain<IProcessGrain>(Guid.NewGuid()).CreateAsync(new ProcessDraft(account, "p", "", null, ProcessType.Process));
        var file = await fixture.SiloServices.GetRequiredService<FileBlobs>().SaveAsync(account, new MemoryStream([1]), 1);
        var version = await fixture.Grains.GetGrain<IProcessVersionGrain>(Guid.NewGuid())
            .CreateAsync(new ProcessVersionDraft(account, process.Id, "v", "", "x.robot", file));
        var occurrence = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var guid = TriggerJobs.ForOccurrence(Guid.NewGuid(), occurrence);
        var scheduled = new JobDraft(account, process.Id, version.Id, null, null, 1, null, null, null, 42, occurrence);

        var first = await fixture.Grains.GetGrain<IJobGrain>(guid).CreateAsync(scheduled);
        var again = await fixture.Grains.GetGrain<IJobGrain>(guid).CreateAsync(scheduled);

        Assert.Equal(WriteResult.Done, first.Result);
        Assert.Equal(first, again);
        Assert.Equal(WriteResult.Conflict, (await fixture.Grains.GetGrain<IJobGrain>(guid).CreateAsync(scheduled with { ScheduledAt = occurrence.AddSeconds(1) })).Result);
        Assert.Equal(WriteResult.Conflict, (await fixture.Grains.GetGrain<IJobGrain>(guid).CreateAsync(scheduled with { ScheduleId = null, ScheduledAt = null })).Result);
    }
}
