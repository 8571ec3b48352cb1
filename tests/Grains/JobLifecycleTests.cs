using Orchestrator.Jobs;

namespace Orchestrator.Tests.Grains;

/// <summary>The transition table of API.md §7, pair by pair: what is listed is legal, everything else is not.</summary>
public sealed class JobLifecycleTests
{
    private static readonly HashSet<(JobStatus, JobStatus)> Documented =
    [
        (JobStatus.Pending, JobStatus.Running),
        (JobStatus.Pending, JobStatus.Cancelled),
        (JobStatus.Running, JobStatus.Successful),
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Running, JobStatus.Stopping),
        (JobStatus.Running, JobStatus.Aborting),
        (JobStatus.Stopping, JobStatus.Stopped),
        (JobStatus.Stopping, JobStatus.Aborting),
        (JobStatus.Stopping, JobStatus.Successful),
        (JobStatus.Stopping, JobStatus.Failed),
        (JobStatus.Aborting, JobStatus.Aborted),
        (JobStatus.Aborting, JobStatus.Successful),
        (JobStatus.Aborting, JobStatus.Failed),
    ];

    public static TheoryData<JobStatus, JobStatus> EveryPair()
    {
        var pairs = new TheoryData<JobStatus, JobStatus>();
        foreach (var from in Enum.GetValues<JobStatus>())
        {
            foreach (var to in Enum.GetValues<JobStatus>())
            {
                pairs.Add(from, to);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_transition_is_legal_exactly_when_the_spec_lists_it(JobStatus from, JobStatus to) =>
        Assert.Equal(Documented.Contains((from, to)), JobLifecycle.IsLegal(from, to));

    [Fact]
    public void Terminal_statuses_are_the_documented_five()
    {
        Assert.Equal(
            [JobStatus.Successful, JobStatus.Failed, JobStatus.Stopped, JobStatus.Aborted, JobStatus.Cancelled],
            Enum.GetValues<JobStatus>().Where(JobLifecycle.IsTerminal));
    }
}
