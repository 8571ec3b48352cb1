using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Accounts;
using Orchestrator.Jobs;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Grains;

/// <summary>Notices of new jobs given together reach their dispatcher in shared calls, and each answers only once its job is there.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DispatchNoticesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Notices_given_together_share_calls_to_the_dispatcher_and_every_job_is_waiting_there_when_its_notice_answers()
    {
        var draft = new AccountDraft(Guid.NewGuid().ToString("N"), "hash", ApiKeys.Hash(ApiKeys.Generate()), false, new AccountProfile());
        var account = (await fixture.Grains.GetGrain<IAccountGrain>(Guid.NewGuid()).CreateAsync(draft)).Id;
        var notices = fixture.SiloServices.GetRequiredService<DispatchNotices>();
        var before = notices.Calls;

        // As thousands of jobs created in the same second give theirs: all at once, while the first call is under way.
        const int Jobs = 300;
        var jobs = Enumerable.Range(0, Jobs).Select(i => new PendingJob(Guid.NewGuid(), i + 1, 1, null, null, null)).ToList();
        await Task.WhenAll(jobs.Select(job => notices.EnqueueAsync(account, job)));

        var calls = notices.Calls - before;
        Assert.True(calls >= 1 && calls < Jobs / 2, $"{Jobs} notices given together took {calls} calls to their dispatcher: they were not shared");

        // Every notice has answered: each job is waiting in the dispatcher, and a robot asking takes them all, in order.
        var dispatcher = fixture.Grains.GetGrain<IJobDispatcherGrain>(account);
        var robot = new IdleRobot(1, Guid.NewGuid(), [], null);
        var taken = new List<Guid>();
        while (await dispatcher.TakeNextAsync(robot) is { } job)
        {
            taken.Add(job.Guid);
        }

        Assert.Equal(jobs.Select(j => j.Guid), taken);
    }
}
