using Orchestrator.Common;
using Orchestrator.Hosting;
using Orchestrator.Records;
using Orchestrator.Triggers;

namespace Orchestrator.Assets;

/// <inheritdoc cref="IAssetGrain"/>
public sealed class AssetGrain(AssetRecords records, SecretCipher cipher, TriggerNotices triggers, OrchestratorClock clock)
    : RecordGrain<AssetRecord>(records, clock), IAssetGrain
{
    public async Task<AssetWrite> CreateAsync(AssetDraft draft)
    {
        var now = Clock.Now;
        var guid = this.GetPrimaryKey();
        var isCredential = draft.Type == AssetType.Credential;
        var asset = new AssetRecord(
            0,
            guid,
            draft.AccountId,
            draft.Name,
            draft.Description,
            draft.Type,
            draft.Text ?? (draft.Type == AssetType.Calendar ? "[]" : string.Empty),
            isCredential && !string.IsNullOrEmpty(draft.Password) ? cipher.Encrypt(draft.Password, guid) : null,
            isCredential ? draft.PasswordExpiration : null,
            draft.RobotType,
            draft.RobotType == AssetVisibility.Robot ? draft.RobotId : null,
            draft.RobotType == AssetVisibility.Group ? draft.RobotGroupId : null,
            now,
            now);
        if (AssetRules.Check(asset, draft.Password is not null, draft.PasswordExpiration is not null) is { } invalid)
        {
            LeaveSoon();
            return AssetWrite.Invalid(invalid.Field, invalid.Detail);
        }

        var created = await InsertAsync(asset);
        if (created.Result == WriteResult.Done)
        {
            await Forget(asset.AccountId, asset.Name);
        }

        return new AssetWrite(created.Result, created.Id);
    }

    public Task<AssetInfo?> GetAsync(long accountId) =>
        Task.FromResult(IsOwnedBy(accountId) ? Record.ToInfo(cipher, Clock.Now) : null);

    public async Task<AssetWrite> UpdateAsync(long accountId, AssetChange change)
    {
        if (!IsOwnedBy(accountId))
        {
            return new AssetWrite(WriteResult.NotFound);
        }

        var current = Record;
        var type = change.Type ?? current.Type;
        var robotType = change.RobotType ?? current.RobotType;
        var isCredential = type == AssetType.Credential;
        var changed = current with
        {
            Name = change.Name ?? current.Name,
            Description = change.Description ?? current.Description,
            Type = type,
            // A text turned into a calendar keeps its text, which must then be dates: nothing is dropped silently.
            Text = change.Text ?? current.Text,
            PasswordCipher = !isCredential ? null
                : change.Password is null ? current.PasswordCipher
                : change.Password.Length == 0 ? null
                : cipher.Encrypt(change.Password, current.Guid),
            PasswordExpiration = !isCredential || change.ClearPasswordExpiration ? null : change.PasswordExpiration ?? current.PasswordExpiration,
            RobotType = robotType,
            RobotId = robotType == AssetVisibility.Robot ? change.RobotId ?? current.RobotId : null,
            RobotGroupId = robotType == AssetVisibility.Group ? change.RobotGroupId ?? current.RobotGroupId : null,
            Updated = Clock.Now,
        };
        if (AssetRules.Check(changed, change.Password is not null, change.PasswordExpiration is not null) is { } invalid)
        {
            return AssetWrite.Invalid(invalid.Field, invalid.Detail);
        }

        var saved = await SaveAsync(changed);
        if (saved == WriteResult.Done)
        {
            await Forget(current.AccountId, current.Name, changed.Name);
            if (current.Type == AssetType.Calendar || changed.Type == AssetType.Calendar)
            {
                await triggers.CalendarChangedAsync(current.Id);
            }
        }

        return new AssetWrite(saved);
    }

    public override async Task<WriteResult> DeleteAsync(long accountId)
    {
        var deleting = Record;
        var result = await base.DeleteAsync(accountId);
        if (result == WriteResult.Done)
        {
            await Forget(deleting!.AccountId, deleting.Name);
            if (deleting.Type == AssetType.Calendar)
            {
                await triggers.CalendarChangedAsync(deleting.Id);
            }
        }

        return result;
    }

    /// <summary>Tells the account's by-name view that these names changed, once the row has the change.</summary>
    private Task Forget(long accountId, params string[] names) =>
        GrainFactory.GetGrain<IAccountAssetsGrain>(accountId).ForgetAsync(names);
}
