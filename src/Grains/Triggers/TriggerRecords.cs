using System.Data.Common;
using System.Text.Json;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Triggers;

/// <summary>The queries on <c>triggers</c>. The trigger grain is the only caller that writes.</summary>
public sealed class TriggerRecords(OrchestratorDatabase database, GroupCommit writes)
    : RecordTable<TriggerRecord>(database, "triggers", TriggerColumns, "updated")
{
    private const string TriggerColumns =
        "id, guid, account_id, name, description, status, processing_type, robot_type, robot_id, robot_group_id, process_id, cron_tab, " +
        "time_zone, start_at, end_at, max_runs, max_running_robots, check_missed_trigger, calendar_asset_id, runs, skipped, " +
        "last_occurrence, last_run_at, last_job_guid, created, updated";

    private ReadBatcher<long, long?>? _latestVersions;
    private ReadBatcher<Guid, int?>? _jobStatuses;
    private ReadBatcher<long, bool>? _liveRobots;
    private ReadBatcher<long, bool>? _liveGroups;

    public override async Task<TriggerRecord> InsertAsync(TriggerRecord trigger) => trigger with
    {
        Id = await Database.InsertAsync(
            """
            INSERT INTO triggers (guid, account_id, name, description, status, processing_type, robot_type, robot_id, robot_group_id,
                process_id, cron_tab, time_zone, start_at, end_at, max_runs, max_running_robots, check_missed_trigger, calendar_asset_id,
                runs, skipped, last_occurrence, created, updated)
            VALUES (@guid, @account, @name, @description, @status, @processingType, @robotType, @robot, @group,
                @process, @cron, @zone, @startAt, @endAt, @maxRuns, @maxRunning, @checkMissed, @calendar,
                0, 0, @lastOccurrence, @now, @now)
            RETURNING id
            """,
            [("@guid", trigger.Guid), ("@account", trigger.AccountId), ("@now", trigger.Created), ("@lastOccurrence", trigger.LastOccurrence),
                .. Fields(trigger.Definition)]),
    };

    /// <summary>Writes the definition (and the mark it restarts from); never what the trigger has done.</summary>
    public override Task<int> UpdateAsync(TriggerRecord trigger) =>
        Database.ExecuteAsync(
            """
            UPDATE triggers SET name = @name, description = @description, status = @status, processing_type = @processingType,
                robot_type = @robotType, robot_id = @robot, robot_group_id = @group, process_id = @process, cron_tab = @cron,
                time_zone = @zone, start_at = @startAt, end_at = @endAt, max_runs = @maxRuns, max_running_robots = @maxRunning,
                check_missed_trigger = @checkMissed, calendar_asset_id = @calendar, last_occurrence = @lastOccurrence, updated = @updated
            WHERE id = @id
            """,
            [("@id", trigger.Id), ("@updated", trigger.Updated), ("@lastOccurrence", trigger.LastOccurrence), .. Fields(trigger.Definition)]);

    /// <summary>
    /// Records what the trigger did with an occurrence, if the row still says what <paramref name="before"/> says
    /// (compare and set): false when another writer got there first, and the caller must read the row again. The
    /// statement joins the silo's group commit: the fires of a second share commits, and the answer comes once the row
    /// is committed.
    /// </summary>
    public async Task<bool> RecordAsync(TriggerRecord before, TriggerRecord after)
    {
        var (sql, parameters) = Record(before, after);
        return await writes.ExecuteAsync(sql, parameters) == 1;
    }

    /// <summary>The compare-and-set of <see cref="RecordAsync"/>, for a write that joins it with another (a fire's job).</summary>
    public static (string Sql, (string Name, object? Value)[] Parameters) Record(TriggerRecord before, TriggerRecord after) =>
    (
        """
        UPDATE triggers SET runs = @runs, skipped = @skipped, last_occurrence = @occurrence, last_run_at = @lastRun, last_job_guid = @lastJob
        WHERE id = @id AND is_deleted = 0 AND runs = @oldRuns AND skipped = @oldSkipped AND last_occurrence = @oldOccurrence
        """,
        [
            ("@id", before.Id),
            ("@runs", after.Runs),
            ("@skipped", after.Skipped),
            ("@occurrence", after.LastOccurrence),
            ("@lastRun", after.LastRunAt),
            ("@lastJob", after.LastJobGuid),
            ("@oldRuns", before.Runs),
            ("@oldSkipped", before.Skipped),
            ("@oldOccurrence", before.LastOccurrence),
        ]
    );

    /// <summary>One account's live triggers in id order.</summary>
    public Task<List<TriggerRecord>> ListAsync(long accountId, int skip, int take) =>
        Database.QueryAsync(
            $"SELECT {Columns} FROM triggers WHERE account_id = @account AND is_deleted = 0 ORDER BY id LIMIT @take OFFSET @skip",
            Map,
            ("@account", accountId),
            ("@take", take),
            ("@skip", skip));

    /// <summary>A page of the enabled triggers of every account, after the id <paramref name="after"/>: what a starting silo wakes.</summary>
    public Task<List<(long Id, Guid Guid)>> EnabledAsync(long after, int take) =>
        Database.QueryAsync(
            "SELECT id, guid FROM triggers WHERE is_deleted = 0 AND status = 1 AND id > @after ORDER BY id LIMIT @take",
            r => (r.Long("id"), r.Guid("guid")),
            ("@after", after),
            ("@take", take));

    /// <summary>The enabled triggers of a Calendar asset: those a change of its dates concerns.</summary>
    public Task<List<Guid>> EnabledOfCalendarAsync(long assetId) =>
        Database.QueryAsync(
            "SELECT guid FROM triggers WHERE calendar_asset_id = @asset AND is_deleted = 0 AND status = 1",
            r => r.Guid("guid"),
            ("@asset", assetId));

    /// <summary>The enabled triggers of a process: those a change of its versions concerns.</summary>
    public Task<List<Guid>> EnabledOfProcessAsync(long processId) =>
        Database.QueryAsync(
            "SELECT guid FROM triggers WHERE process_id = @process AND is_deleted = 0 AND status = 1",
            r => r.Guid("guid"),
            ("@process", processId));

    /// <summary>The enabled triggers aimed at one robot (<paramref name="robotId"/>) or at a robot group (<paramref name="groupId"/>).</summary>
    public Task<List<Guid>> EnabledAimedAtAsync(long? robotId, long? groupId) =>
        Database.QueryAsync(
            robotId is not null
                ? "SELECT guid FROM triggers WHERE robot_id = @target AND robot_type = 2 AND is_deleted = 0 AND status = 1"
                : "SELECT guid FROM triggers WHERE robot_group_id = @target AND robot_type = 1 AND is_deleted = 0 AND status = 1",
            r => r.Guid("guid"),
            ("@target", robotId ?? groupId ?? 0));

    /// <summary>
    /// True when the trigger's target is there to run a job: any robot, or its robot or group not deleted. Triggers
    /// of a silo that prepare their fires together ask in one query.
    /// </summary>
    public Task<bool> TargetLiveAsync(TriggerDefinition definition) => definition.RobotType switch
    {
        TriggerRobotType.Robot when definition.RobotId is { } robot =>
            ReadBatcher<long, bool>.Once(ref _liveRobots, ids => LiveAsync("robots", ids), false).ReadAsync(robot),
        TriggerRobotType.Group when definition.RobotGroupId is { } group =>
            ReadBatcher<long, bool>.Once(ref _liveGroups, ids => LiveAsync("robot_groups", ids), false).ReadAsync(group),
        _ => Task.FromResult(true),
    };

    private async Task<Dictionary<long, bool>> LiveAsync(string table, IReadOnlyList<long> ids)
    {
        var rows = await Database.QueryAsync(
            $"SELECT id FROM {table} WHERE {Database.InList("id", "@ids")} AND is_deleted = 0", r => r.Long("id"), ("@ids", Database.ListOf(ids)));
        return rows.ToDictionary(id => id, _ => true);
    }

    /// <summary>
    /// The newest live version of a live process, or null: what a trigger's next job runs. The triggers of a silo that
    /// prepare their fires together (many of one process, often) ask in one query.
    /// </summary>
    public Task<long?> LatestVersionAsync(long processId) =>
        ReadBatcher<long, long?>.Once(ref _latestVersions, LatestVersionsAsync, null).ReadAsync(processId);

    /// <summary>
    /// The status of a job by its GUID, or null when there is no such job (or it was deleted); asked by many triggers
    /// at once (their previous jobs, as they prepare their fires), read in one query.
    /// </summary>
    public Task<int?> JobStatusAsync(Guid job) => ReadBatcher<Guid, int?>.Once(ref _jobStatuses, JobStatusesAsync, null).ReadAsync(job);

    private async Task<Dictionary<long, long?>> LatestVersionsAsync(IReadOnlyList<long> processes)
    {
        var rows = await Database.QueryAsync(
            $"""
            SELECT v.process_id, MAX(v.id) AS version FROM process_versions v JOIN processes p ON p.id = v.process_id
            WHERE {Database.InList("v.process_id", "@processes")} AND v.is_deleted = 0 AND p.is_deleted = 0 GROUP BY v.process_id
            """,
            r => (Process: r.Long("process_id"), Version: r.Long("version")),
            ("@processes", Database.ListOf(processes)));
        return rows.ToDictionary(r => r.Process, r => (long?)r.Version);
    }

    private async Task<Dictionary<Guid, int?>> JobStatusesAsync(IReadOnlyList<Guid> jobs)
    {
        var rows = await Database.QueryAsync(
            $"SELECT guid, status FROM jobs WHERE {Database.InList("guid", "@jobs")} AND is_deleted = 0",
            r => (Job: r.Guid("guid"), Status: (int)r.Long("status")),
            ("@jobs", Database.ListOf(jobs)));
        return rows.ToDictionary(r => r.Job, r => (int?)r.Status);
    }

    /// <summary>True when a job row with that GUID exists, deleted or not.</summary>
    public async Task<bool> JobExistsAsync(Guid job) =>
        await Database.ScalarAsync("SELECT 1 FROM jobs WHERE guid = @guid", ("@guid", job)) is not null;

    /// <summary>The trigger's jobs that are pending or running.</summary>
    public async Task<int> LiveJobsAsync(long triggerId) =>
        (int)(await Database.ScalarAsync(
            "SELECT COUNT(*) FROM jobs WHERE schedule_id = @trigger AND is_deleted = 0 AND status IN (0, 1, 4, 6)",
            ("@trigger", triggerId)) ?? 0);

    /// <summary>The continuous trigger, live and enabled, that created the job; null for any other job.</summary>
    public Task<Guid?> ContinuousTriggerOfJobAsync(long jobId) =>
        Database.QueryGuidAsync(
            """
            SELECT t.guid FROM jobs j JOIN triggers t ON t.id = j.schedule_id
            WHERE j.id = @job AND t.processing_type = 1 AND t.status = 1 AND t.is_deleted = 0
            """,
            ("@job", jobId));

    /// <summary>
    /// The dates of a Calendar asset (Type 3, <c>Text</c> a JSON array of <c>"YYYY-MM-DD"</c>); empty when the asset is
    /// gone, is not a calendar, or its text is not such an array.
    /// </summary>
    public async Task<HashSet<DateOnly>> CalendarDatesAsync(long assetId)
    {
        var texts = await Database.QueryAsync(
            "SELECT text FROM assets WHERE id = @id AND type = 3 AND is_deleted = 0", r => r.NullableText("text"), ("@id", assetId));
        return texts is [{ } text] ? ParseCalendar(text) ?? [] : [];
    }

    /// <summary>A calendar's dates, or null when the text is not a JSON array of dates.</summary>
    public static HashSet<DateOnly>? ParseCalendar(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var dates = new HashSet<DateOnly>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: >= 10 } s
                    || !DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
                {
                    return null;
                }

                dates.Add(date);
            }

            return dates;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    protected override TriggerRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        new TriggerDefinition(
            r.Text("name"),
            r.Text("description"),
            (TriggerStatus)r.Int("status"),
            (TriggerProcessingType)r.Int("processing_type"),
            r.NullableText("cron_tab"),
            r.Text("time_zone"),
            (TriggerRobotType)r.Int("robot_type"),
            r.NullableLong("robot_id"),
            r.NullableLong("robot_group_id"),
            r.Long("process_id"),
            r.NullableTime("start_at"),
            r.NullableTime("end_at"),
            r.Long("max_runs"),
            r.Int("max_running_robots"),
            r.Flag("check_missed_trigger"),
            r.NullableLong("calendar_asset_id")),
        r.Long("runs"),
        r.Long("skipped"),
        r.Time("last_occurrence"),
        r.NullableTime("last_run_at"),
        r.NullableGuid("last_job_guid"),
        r.Time("created"),
        r.Time("updated"));

    private static (string, object?)[] Fields(TriggerDefinition d) =>
    [
        ("@name", d.Name),
        ("@description", d.Description),
        ("@status", d.Status),
        ("@processingType", d.ProcessingType),
        ("@robotType", d.RobotType),
        ("@robot", d.RobotId),
        ("@group", d.RobotGroupId),
        ("@process", d.ProcessId),
        ("@cron", d.CronTab),
        ("@zone", d.TimeZone),
        ("@startAt", d.StartAt),
        ("@endAt", d.EndAt),
        ("@maxRuns", d.MaxRuns),
        ("@maxRunning", d.MaxRunningRobots),
        ("@checkMissed", d.CheckMissedTrigger),
        ("@calendar", d.CalendarAssetId),
    ];
}
