using System.Data.Common;
using System.Text;
using Orchestrator.Records;
using Orchestrator.Storage;

namespace Orchestrator.Jobs;

/// <summary>
/// The queries on the <c>jobs</c> table. The job grain is the only caller that writes, but for the insert of a
/// trigger's job, which the trigger makes (the job's grain is the writer from then on). Inserts and updates share
/// transactions with other jobs' (group commit), since every job makes several small writes in its life.
/// </summary>
public sealed class JobRecords(OrchestratorDatabase database, GroupCommit writes)
    : RecordTable<JobRecord>(database, "jobs", JobColumns, "updated_at")
{
    private const string JobColumns =
        "id, guid, account_id, process_id, process_version_id, target_robot_id, target_group_id, robot_id, schedule_id, scheduled_at, " +
        "status, priority, parameters, stop_after_seconds, stop_at, message, created_at, updated_at, started_at, finished_at, end_pending, " +
        "(SELECT v.guid FROM process_versions v WHERE v.id = process_version_id) AS process_version_guid, " +
        "(SELECT v.process_file_name FROM process_versions v WHERE v.id = process_version_id) AS process_file_name, " +
        "(SELECT p.min_version_to_run FROM processes p WHERE p.id = process_id) AS min_version_to_run, " +
        "(SELECT r.guid FROM robots r WHERE r.id = robot_id) AS robot_guid";

    /// <summary>
    /// The columns a new job's row is written with, and their values. The values that may be null say their type: a
    /// value in a SELECT list (a trigger's conditional insert), unlike one in VALUES, takes none from its column.
    /// </summary>
    private const string InsertColumns =
        "guid, account_id, process_id, process_version_id, target_robot_id, target_group_id, schedule_id, scheduled_at, " +
        "status, priority, parameters, stop_after_seconds, stop_at, message, created_at, updated_at";

    private const string InsertValues =
        "@guid, @account, @process, @version, CAST(@robot AS bigint), CAST(@group AS bigint), @schedule, CAST(@scheduled AS bigint), " +
        "@status, @priority, CAST(@parameters AS text), CAST(@stopAfter AS bigint), CAST(@stopAt AS bigint), '', @now, @now";

    /// <summary>
    /// A trigger's job, inserted only if the trigger's row names it as its last job, and not when a row with its GUID
    /// exists already (a fire repeated after a crash); answers only what the trigger does not know (the row's id, the
    /// process's minimum version), or no row.
    /// </summary>
    private const string InsertNamedByTrigger =
        $"""
        INSERT INTO jobs ({InsertColumns})
        SELECT {InsertValues}
        WHERE EXISTS (SELECT 1 FROM triggers t WHERE t.id = @schedule AND t.last_job_guid = @guid AND t.is_deleted = 0)
        ON CONFLICT (guid) DO NOTHING
        RETURNING id, (SELECT p.min_version_to_run FROM processes p WHERE p.id = process_id) AS min_version_to_run
        """;

    private string? _insertIfTargetsLive;

    /// <remarks>
    /// The row comes back from the insert itself (RETURNING, with the version's GUID and file name and the process's
    /// minimum version), not from a read after it. A job whose targets are gone is an error here; the job's grain uses
    /// <see cref="InsertIfTargetsLiveAsync"/> and answers it.
    /// </remarks>
    public override async Task<JobRecord> InsertAsync(JobRecord job) =>
        await InsertIfTargetsLiveAsync(job) ?? throw new InvalidOperationException($"Job {job.Guid} names a version, process, robot or group that is deleted.");

    /// <summary>
    /// A job asked for through the API, inserted only if what it names is still there: its version and process, and
    /// its robot or group. The caller found them a moment before; a delete since would leave the job waiting for ever
    /// (the delete's clean-up ran before the job existed), so the insert itself checks. Null when it inserted nothing.
    /// </summary>
    /// <remarks>
    /// On PostgreSQL the rows it finds are locked for share until the insert commits: a delete of one of them waits for
    /// it and then finds the job (its clean-up, or the process's check for live jobs), or it went first and the insert
    /// finds the row deleted. On SQLite one writer at a time gives the same.
    /// </remarks>
    public Task<JobRecord?> InsertIfTargetsLiveAsync(JobRecord job) =>
        writes.WriteRowAsync(_insertIfTargetsLive ??= InsertIfTargetsLiveStatement(Database.Kind == DatabaseKind.PostgreSql ? " FOR SHARE" : ""), Map, InsertParameters(job));

    private string InsertIfTargetsLiveStatement(string lockRows) =>
        $"""
        INSERT INTO jobs ({InsertColumns})
        SELECT {InsertValues}
        WHERE EXISTS (SELECT 1 FROM process_versions v JOIN processes p ON p.id = v.process_id
                      WHERE v.id = @version AND v.process_id = @process AND v.is_deleted = 0 AND p.is_deleted = 0{lockRows})
          AND (CAST(@robot AS bigint) IS NULL OR EXISTS (SELECT 1 FROM robots r WHERE r.id = @robot AND r.is_deleted = 0{lockRows}))
          AND (CAST(@group AS bigint) IS NULL OR EXISTS (SELECT 1 FROM robot_groups g WHERE g.id = @group AND g.is_deleted = 0{lockRows}))
        RETURNING {Columns}
        """;

    /// <summary>
    /// A trigger's fire: its compare-and-set (<paramref name="record"/>, which names <paramref name="job"/> as the
    /// trigger's last job) and the insert of the job, in one transaction of the group commit, so that a fire costs one
    /// commit and a crash leaves both or neither. The job is inserted only if the trigger's row names it once the
    /// compare-and-set ran (the set was written, or another activation recorded the same occurrence first), and not when
    /// a row with its GUID exists already. Answers whether the set was written, and the job as its dispatcher needs it if
    /// this insert made it.
    /// </summary>
    public async Task<(bool Recorded, PendingJob? Inserted)> InsertFiredAsync(
        (string Sql, (string Name, object? Value)[] Parameters) record, JobRecord job)
    {
        var (rows, inserted) = await writes.ExecuteThenWriteRowAsync(record, InsertNamedByTrigger, r => Pending(job, r), InsertParameters(job));
        return (rows == 1, inserted);
    }

    /// <summary>
    /// A trigger's job whose fire is recorded already (the trigger's row names it), inserted unless its row exists; the
    /// job as its dispatcher needs it if this insert made it.
    /// </summary>
    public Task<PendingJob?> InsertNamedAsync(JobRecord job) => writes.WriteRowAsync(InsertNamedByTrigger, r => Pending(job, r), InsertParameters(job));

    /// <summary>Writes what the lifecycle changes: status, lease holder, message, the transition times and whether the end is still to handle.</summary>
    public override Task<int> UpdateAsync(JobRecord job) =>
        writes.ExecuteAsync(
            """
            UPDATE jobs SET status = @status, robot_id = @robot, message = @message, updated_at = @updated,
                started_at = @started, finished_at = @finished, end_pending = @endPending
            WHERE id = @id
            """,
            ("@id", job.Id),
            ("@status", job.Status),
            ("@robot", job.RobotId),
            ("@message", job.Message),
            ("@updated", job.UpdatedAt),
            ("@started", job.StartedAt),
            ("@finished", job.FinishedAt),
            ("@endPending", job.EndPending ? 1 : 0));

    /// <summary>
    /// A page of the GUIDs of jobs whose terminal status was committed but whose end was not handled (a crash came in
    /// between), in id order after <paramref name="afterId"/>.
    /// </summary>
    public Task<List<(long Id, Guid Guid)>> EndPendingAsync(long afterId, int take) =>
        Database.QueryAsync(
            "SELECT id, guid FROM jobs WHERE end_pending = 1 AND id > @after AND is_deleted = 0 ORDER BY id LIMIT @take",
            r => (r.Long("id"), r.Guid("guid")),
            ("@after", afterId),
            ("@take", take));

    /// <summary>An account's waiting jobs aimed at one robot, or at one group; through the pending index.</summary>
    public Task<List<Guid>> WaitingAimedAtAsync(long accountId, long? robotId, long? groupId) =>
        Database.QueryAsync(
            "SELECT guid FROM jobs WHERE account_id = @account AND is_deleted = 0 AND status = 0 AND (target_robot_id = @robot OR target_group_id = @group)",
            r => r.Guid("guid"),
            ("@account", accountId),
            ("@robot", robotId),
            ("@group", groupId));

    /// <summary>The live jobs a robot holds (leased, running, stopping, aborting), with the robot's GUID, in id order.</summary>
    public Task<List<(long Id, Guid Job, Guid Robot)>> HeldAsync(long afterId, int take) =>
        Database.QueryAsync(
            """
            SELECT j.id, j.guid, r.guid AS robot_guid FROM jobs j JOIN robots r ON r.id = j.robot_id
            WHERE j.id > @after AND j.is_deleted = 0 AND j.robot_id IS NOT NULL AND j.status IN (0, 1, 4, 6)
            ORDER BY j.id LIMIT @take
            """,
            r => (r.Long("id"), r.Guid("guid"), r.Guid("robot_guid")),
            ("@after", afterId),
            ("@take", take));

    /// <summary>One account's jobs waiting for a robot and not leased, in dispatch order; what a dispatcher is rebuilt from.</summary>
    public Task<List<JobRecord>> WaitingAsync(long accountId) =>
        Database.QueryAsync(
            $"SELECT {Columns} FROM jobs WHERE account_id = @account AND is_deleted = 0 AND status = 0 AND robot_id IS NULL ORDER BY priority DESC, id",
            Map,
            ("@account", accountId));

    /// <summary>One account's jobs in id order, filtered.</summary>
    public Task<List<JobRecord>> ListAsync(long accountId, JobListFilter filter)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM jobs WHERE account_id = @account AND is_deleted = 0");
        var parameters = new List<(string, object?)> { ("@account", accountId), ("@take", filter.Take), ("@skip", filter.Skip) };
        void Where(string condition, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }

        Where("status = @status", "@status", filter.Status);
        Where("robot_id = @robot", "@robot", filter.RobotId);
        Where("process_id = @process", "@process", filter.ProcessId);
        Where("schedule_id = @schedule", "@schedule", filter.ScheduleId);
        Where("created_at >= @from", "@from", filter.From);
        Where("created_at <= @to", "@to", filter.To);
        sql.Append(" ORDER BY id LIMIT @take OFFSET @skip");
        return Database.QueryAsync(sql.ToString(), Map, [.. parameters]);
    }

    protected override JobRecord Map(DbDataReader r) => new(
        r.Long("id"),
        r.Guid("guid"),
        r.Long("account_id"),
        r.Long("process_id"),
        r.Long("process_version_id"),
        r.Guid("process_version_guid"),
        r.Text("process_file_name"),
        r.NullableDecimalText("min_version_to_run"),
        r.NullableLong("target_robot_id"),
        r.NullableLong("target_group_id"),
        r.NullableLong("robot_id"),
        r.NullableGuid("robot_guid"),
        r.NullableLong("schedule_id"),
        r.NullableTime("scheduled_at"),
        (JobStatus)r.Int("status"),
        r.Int("priority"),
        r.NullableText("parameters"),
        r.NullableLong("stop_after_seconds"),
        r.NullableTime("stop_at"),
        r.Text("message"),
        r.Time("created_at"),
        r.Time("updated_at"),
        r.NullableTime("started_at"),
        r.NullableTime("finished_at"),
        r.Int("end_pending") == 1);

    /// <summary>The values of a job's insert.</summary>
    private static (string Name, object? Value)[] InsertParameters(JobRecord job) =>
    [
        ("@guid", job.Guid),
        ("@account", job.AccountId),
        ("@process", job.ProcessId),
        ("@version", job.ProcessVersionId),
        ("@robot", job.TargetRobotId),
        ("@group", job.TargetGroupId),
        ("@schedule", job.ScheduleId),
        ("@scheduled", job.ScheduledAt),
        ("@status", job.Status),
        ("@priority", job.Priority),
        ("@parameters", job.Parameters),
        ("@stopAfter", job.StopAfterSeconds),
        ("@stopAt", job.StopAt),
        ("@now", job.CreatedAt),
    ];

    private static PendingJob Pending(JobRecord job, DbDataReader r) => (job with { Id = r.Long("id"), MinVersionToRun = r.NullableDecimalText("min_version_to_run") }).ToPending();
}
