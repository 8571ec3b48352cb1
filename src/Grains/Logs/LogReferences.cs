using System.Data.Common;
using Orchestrator.Storage;

namespace Orchestrator.Logs;

/// <summary>
/// Turns the robot, job and process version GUIDs a log line names into the account's numeric ids (and a job into
/// its process version), for <see cref="LogWriter"/> alone. What a GUID names never changes — ids are never reused,
/// and a robot, job or version is inserted before its GUID is handed to anyone — so every answer, "none" included,
/// is kept: a robot logging a thousand lines of one job costs one look-up, not a thousand.
/// </summary>
internal sealed class LogReferences
{
    /// <summary>Entries per kind at most; the cache starts over beyond it (a bound against GUIDs a client makes up).</summary>
    private const int MaxEntries = 100_000;

    private readonly Dictionary<(long Account, Guid Guid), long?> _robots = [];
    private readonly Dictionary<(long Account, Guid Guid), LogJob?> _jobs = [];
    private readonly Dictionary<(long Account, Guid Guid), long?> _versions = [];

    /// <summary>The line as stored: its references resolved where they name the account's records.</summary>
    public async ValueTask<LogRow> ResolveAsync(DbConnection connection, LogLine line)
    {
        long? robotId = line.RobotGuid is { } robot ? await RobotAsync(connection, line.AccountId, robot) : null;
        if (line.JobGuid is { } jobGuid && await JobAsync(connection, line.AccountId, jobGuid) is { } job)
        {
            // The job's version is the one it runs, whatever version the line names besides.
            return new LogRow(line, robotId, job.Id, job.VersionGuid, job.VersionId);
        }

        long? versionId = line.ProcessVersionGuid is { } version ? await VersionAsync(connection, line.AccountId, version) : null;
        return new LogRow(line, robotId, null, line.ProcessVersionGuid, versionId);
    }

    private async ValueTask<long?> RobotAsync(DbConnection connection, long account, Guid guid)
    {
        if (!_robots.TryGetValue((account, guid), out var id))
        {
            id = await ScalarAsync(connection, "SELECT id FROM robots WHERE guid = @guid AND account_id = @account", account, guid);
            Keep(_robots, (account, guid), id);
        }

        return id;
    }

    private async ValueTask<long?> VersionAsync(DbConnection connection, long account, Guid guid)
    {
        if (!_versions.TryGetValue((account, guid), out var id))
        {
            id = await ScalarAsync(connection, "SELECT id FROM process_versions WHERE guid = @guid AND account_id = @account", account, guid);
            Keep(_versions, (account, guid), id);
        }

        return id;
    }

    private async ValueTask<LogJob?> JobAsync(DbConnection connection, long account, Guid guid)
    {
        if (!_jobs.TryGetValue((account, guid), out var job))
        {
            await using var command = OrchestratorDatabase.CreateCommand(
                connection,
                """
                SELECT j.id, j.process_version_id, v.guid FROM jobs j JOIN process_versions v ON v.id = j.process_version_id
                WHERE j.guid = @guid AND j.account_id = @account
                """,
                ("@guid", guid),
                ("@account", account));
            await using var reader = await command.ExecuteReaderAsync();
            job = await reader.ReadAsync() ? new LogJob(reader.GetInt64(0), reader.GetInt64(1), Guid.Parse(reader.GetString(2))) : null;
            Keep(_jobs, (account, guid), job);
        }

        return job;
    }

    private static async Task<long?> ScalarAsync(DbConnection connection, string sql, long account, Guid guid)
    {
        await using var command = OrchestratorDatabase.CreateCommand(connection, sql, ("@guid", guid), ("@account", account));
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToInt64(value) : null;
    }

    private static void Keep<T>(Dictionary<(long, Guid), T> cache, (long, Guid) key, T value)
    {
        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }

        cache[key] = value;
    }

    private sealed record LogJob(long Id, long VersionId, Guid VersionGuid);
}
