using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Storage;

namespace Orchestrator.Accounts;

/// <inheritdoc cref="IAccountGrain"/>
public sealed class AccountGrain(AccountRecords records, IApiKeyRevocation revocation, OrchestratorClock clock) : Grain, IAccountGrain
{
    private AccountRecord? _record;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _record = await records.FindAsync(this.GetPrimaryKey());

    public async Task<Created> CreateAsync(AccountDraft draft)
    {
        if (_record is not null)
        {
            return new Created(WriteResult.Conflict, 0);
        }

        var now = clock.Now;
        var account = new AccountRecord(
            0, this.GetPrimaryKey(), draft.Login, draft.PasswordHash, draft.Key.Hash, draft.Key.Prefix, now,
            draft.IsAdministrator, draft.Profile, now, now);
        try
        {
            var id = await records.InsertAsync(account);
            _record = account with { Id = id };
            return new Created(WriteResult.Done, id);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return new Created(WriteResult.NameTaken, 0);
        }
    }

    public Task<AccountInfo?> GetAsync() => Task.FromResult(IsMissing() ? null : ToInfo(_record));

    public async Task<WriteResult> UpdateAsync(AccountChange change)
    {
        if (IsMissing())
        {
            return WriteResult.NotFound;
        }

        var p = change.Profile;
        var current = _record.Profile;
        var account = _record with
        {
            Login = change.Login ?? _record.Login,
            PasswordHash = change.PasswordHash ?? _record.PasswordHash,
            Profile = new AccountProfile(
                p.FirstName ?? current.FirstName,
                p.LastName ?? current.LastName,
                p.Email ?? current.Email,
                p.Phone ?? current.Phone,
                p.Company ?? current.Company,
                p.Department ?? current.Department),
            Updated = clock.Now,
        };
        return await Save(account);
    }

    public async Task<WriteResult> DeleteAsync()
    {
        if (IsMissing())
        {
            return WriteResult.NotFound;
        }

        var revoked = _record.KeyHash;
        await records.SoftDeleteAsync(_record.Id, revoked, clock.Now);
        _record = null;
        await revocation.RevokeEverywhereAsync([revoked]);
        DeactivateOnIdle();
        return WriteResult.Done;
    }

    public async Task<WriteResult> ReplaceKeyAsync(ApiKeyHash key, string replacing)
    {
        if (IsMissing())
        {
            return WriteResult.NotFound;
        }

        // Two replacements made with the same key: the first wins; the second was made with a key that no longer works.
        if (_record.KeyHash != replacing)
        {
            return WriteResult.Conflict;
        }

        var now = clock.Now;
        // The new key too: a silo may remember it as one that matched no account.
        string[] revoked = [_record.KeyHash, key.Hash];
        var result = await Save(_record with { KeyHash = key.Hash, KeyPrefix = key.Prefix, KeyCreated = now, Updated = now }, revoked);
        if (result == WriteResult.Done)
        {
            await revocation.RevokeEverywhereAsync(revoked);
        }

        return result;
    }

    [MemberNotNullWhen(false, nameof(_record))]
    private bool IsMissing()
    {
        if (_record is not null)
        {
            return false;
        }

        // Woken for a GUID that names no account: do not linger in memory for it.
        DeactivateOnIdle();
        return true;
    }

    private async Task<WriteResult> Save(AccountRecord account, IReadOnlyList<string>? revokedKeyHashes = null)
    {
        try
        {
            await records.UpdateAsync(account, revokedKeyHashes);
        }
        catch (DbException e) when (OrchestratorDatabase.IsUniqueViolation(e))
        {
            return WriteResult.NameTaken;
        }

        _record = account;
        return WriteResult.Done;
    }

    private static AccountInfo ToInfo(AccountRecord a) =>
        new(a.Id, a.Guid, a.Login, a.Profile, a.IsAdministrator, a.KeyPrefix, a.KeyCreated, a.Created, a.Updated);
}
