using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Records;

/// <summary>
/// A grain that is the only writer of one account-owned record, keyed by the record's GUID. It loads the row
/// on activation and answers every call of another account as if the record did not exist (API.md §1: 404,
/// never 403). Names are unique per account among live records: the database's partial unique index is the
/// judge, and a violation is <see cref="WriteResult.NameTaken"/>, never an exception.
/// </summary>
public abstract class RecordGrain<TRecord>(RecordTable<TRecord> table, OrchestratorClock clock) : Grain
    where TRecord : class, IAccountRecord
{
    /// <summary>How long a grain whose record is missing or deleted stays to answer the calls that follow.</summary>
    private static readonly TimeSpan LeaveAfter = TimeSpan.FromSeconds(5);

    private IGrainTimer? _leaving;

    /// <summary>The live record; null before it is created and after it is deleted.</summary>
    protected TRecord? Record { get; set; }

    protected OrchestratorClock Clock { get; } = clock;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        Record = await table.FindAsync(this.GetPrimaryKey());

    /// <summary>Soft-deletes the record; the grain then leaves memory.</summary>
    public virtual async Task<WriteResult> DeleteAsync(long accountId)
    {
        if (!IsOwnedBy(accountId))
        {
            return WriteResult.NotFound;
        }

        if (!await SoftDeleteRowAsync(Record))
        {
            return WriteResult.Conflict;
        }

        Record = null;
        LeaveSoon();
        return WriteResult.Done;
    }

    /// <summary>Marks the row deleted; false when a condition the row's delete checks in its own statement refused it.</summary>
    protected virtual async Task<bool> SoftDeleteRowAsync(TRecord record)
    {
        await table.SoftDeleteAsync(record.Id, Clock.Now);
        return true;
    }

    /// <summary>True when the record exists and is the account's.</summary>
    [MemberNotNullWhen(true, nameof(Record))]
    protected bool IsOwnedBy(long accountId)
    {
        if (Record is null)
        {
            // Woken for a GUID that names no record: do not linger in memory for it.
            LeaveSoon();
            return false;
        }

        return Record.AccountId == accountId;
    }

    /// <summary>
    /// Leaves memory a few seconds from now if the record is still missing, not at once: calls queued behind this one (a
    /// burst of reads of a GUID that names nothing, updates racing a delete) are answered here. Leaving at once forwarded
    /// them to a new activation that left at once too, and so on until Orleans rejected them (a 503 for a 404).
    /// </summary>
    protected void LeaveSoon() =>
        _leaving ??= this.RegisterGrainTimer(
            _ =>
            {
                _leaving?.Dispose();
                _leaving = null;
                if (Record is null)
                {
                    DeactivateOnIdle();
                }

                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(LeaveAfter, Timeout.InfiniteTimeSpan));

    /// <summary>Inserts the record this grain is for; a second create of the same GUID is a conflict.</summary>
    protected async Task<Created> InsertAsync(TRecord draft)
    {
        if (Record is not null)
        {
            return new Created(WriteResult.Conflict, 0);
        }

        try
        {
            Record = await table.InsertAsync(draft);
            return new Created(WriteResult.Done, Record.Id);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return new Created(WriteResult.NameTaken, 0);
        }
    }

    /// <summary>Writes a changed record; memory takes the change only once the row has it.</summary>
    protected async Task<WriteResult> SaveAsync(TRecord changed)
    {
        try
        {
            await table.UpdateAsync(changed);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return WriteResult.NameTaken;
        }

        Record = changed;
        return WriteResult.Done;
    }
}
