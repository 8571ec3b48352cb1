using Orleans.Storage;

namespace Orchestrator.Storage;

/// <summary>
/// Orleans grain storage in the orchestrator's database whose writes go through <see cref="GroupCommit"/>: the
/// coordination state of many grains (a robot's lease and command queue) written at once shares one transaction,
/// instead of each write being its own commit on its own connection, racing the others for SQLite's write lock.
/// Optimistic concurrency as Orleans expects: a write names the version it read, and a stale one fails.
/// State that an earlier version of the orchestrator kept in the Orleans ADO.NET tables is read from there when this
/// table has none for the grain, and moves here with the grain's next write.
/// </summary>
public sealed class GroupCommitGrainStorage(
    string serviceId, OrchestratorDatabase database, GroupCommit writes, IGrainStorageSerializer serializer, IGrainStorage earlier) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var rows = await database.QueryAsync(
            "SELECT version, payload FROM grain_state WHERE service_id = @service AND grain_id = @grain AND state_name = @state",
            r => (Version: r.GetInt64(0), Payload: (byte[])r.GetValue(1)),
            ("@service", serviceId),
            ("@grain", grainId.ToString()),
            ("@state", stateName));
        if (rows.Count == 1)
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(rows[0].Payload));
            grainState.ETag = rows[0].Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            return;
        }

        var before = new GrainState<T>();
        await earlier.ReadStateAsync(stateName, grainId, before);
        grainState.State = before.RecordExists ? before.State : Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = before.RecordExists;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        var version = Version(grainState.ETag);
        var rows = version is null
            ? await writes.ExecuteAsync(
                """
                INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at)
                VALUES (@service, @grain, @state, 1, @payload, @now)
                ON CONFLICT (service_id, grain_id, state_name) DO NOTHING
                """,
                Key(stateName, grainId, ("@payload", payload)))
            : await writes.ExecuteAsync(
                """
                UPDATE grain_state SET version = version + 1, payload = @payload, updated_at = @now
                WHERE service_id = @service AND grain_id = @grain AND state_name = @state AND version = @version
                """,
                Key(stateName, grainId, ("@payload", payload), ("@version", version)));
        if (rows != 1)
        {
            throw new InconsistentStateException($"The {stateName} state of {grainId} was written by another activation.", "unknown", grainState.ETag ?? "none");
        }

        grainState.ETag = ((version ?? 0) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Version(grainState.ETag) is { } version)
        {
            var rows = await writes.ExecuteAsync(
                "DELETE FROM grain_state WHERE service_id = @service AND grain_id = @grain AND state_name = @state AND version = @version",
                Key(stateName, grainId, ("@version", version)));
            if (rows != 1)
            {
                throw new InconsistentStateException($"The {stateName} state of {grainId} was written by another activation.", "unknown", grainState.ETag);
            }
        }

        // What an earlier version kept must not come back on the next read.
        var before = new GrainState<T>();
        await earlier.ReadStateAsync(stateName, grainId, before);
        if (before.RecordExists)
        {
            await earlier.ClearStateAsync(stateName, grainId, before);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static long? Version(string? etag) =>
        etag is null ? null : long.Parse(etag, System.Globalization.CultureInfo.InvariantCulture);

    private (string, object?)[] Key(string stateName, GrainId grainId, params (string, object?)[] more) =>
    [
        ("@service", serviceId),
        ("@grain", grainId.ToString()),
        ("@state", stateName),
        ("@now", DateTimeOffset.UtcNow),
        .. more,
    ];
}
