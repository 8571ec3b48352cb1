using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Storage;

/// <summary>
/// Applies the schema in <c>sql/</c> (the Orleans providers' tables and queries, then the orchestrator's
/// tables) at start. Every script is idempotent, so this runs on every start of every silo; on PostgreSQL
/// an advisory lock keeps silos that start together from racing on the same DDL.
/// </summary>
public sealed class SchemaInstaller(OrchestratorDatabase database, ILogger<SchemaInstaller> logger)
{
    /// <summary>The schema version this build writes; recorded in <c>orchestrator_schema</c>.</summary>
    public const int Version = 2;

    private const long AdvisoryLockKey = 0x0_5243_4845_5354; // any constant shared by every silo

    private static readonly string[] Scripts = ["orleans.sql", "orchestrator.sql", "files.sql", "jobs.sql", "queues.sql", "assets.sql", "storage.sql", "triggers.sql", "grain_state.sql"];

    /// <summary>
    /// Columns added to a table after it first shipped: a script's CREATE TABLE has them for a new database, and
    /// this adds them to an older one. SQLite has no ADD COLUMN IF NOT EXISTS (PostgreSQL's scripts use it), so
    /// they are added here when the table lacks them.
    /// </summary>
    private static readonly (string Table, string Column, string Type)[] SqliteAddedColumns =
    [
        ("logs", "job_id", "INTEGER"),
        ("logs", "process_version_id", "INTEGER"),
        ("jobs", "end_pending", "INTEGER NOT NULL DEFAULT 0"),
    ];

    /// <summary>Indexes on those added columns, created once the columns are there.</summary>
    private static readonly string[] SqliteIndexesOnAddedColumns =
    [
        "CREATE INDEX IF NOT EXISTS ix_jobs_end_pending ON jobs (id) WHERE end_pending = 1;",
    ];

    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var folder = database.Kind == DatabaseKind.Sqlite ? "sqlite" : "postgresql";

        if (database.Kind == DatabaseKind.Sqlite)
        {
            // WAL lets readers go on while a writer commits; the mode is stored in the file.
            await Run("PRAGMA journal_mode = WAL;");
        }
        else
        {
            await Run($"SELECT pg_advisory_lock({AdvisoryLockKey});");
        }

        try
        {
            foreach (var script in Scripts)
            {
                await Run(ReadScript($"sql/{folder}/{script}"));
            }

            if (database.Kind == DatabaseKind.Sqlite)
            {
                foreach (var (table, column, type) in SqliteAddedColumns)
                {
                    await using var exists = OrchestratorDatabase.CreateCommand(
                        connection, "SELECT 1 FROM pragma_table_info(@table) WHERE name = @column", ("@table", table), ("@column", column));
                    if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                    {
                        await Run($"ALTER TABLE {table} ADD COLUMN {column} {type};");
                    }
                }

                foreach (var index in SqliteIndexesOnAddedColumns)
                {
                    await Run(index);
                }
            }

            await using var record = OrchestratorDatabase.CreateCommand(
                connection,
                "INSERT INTO orchestrator_schema (version, applied_at) VALUES (@version, @now) ON CONFLICT (version) DO NOTHING;",
                ("@version", Version),
                ("@now", DateTimeOffset.UtcNow));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            if (database.Kind == DatabaseKind.PostgreSql)
            {
                await Run($"SELECT pg_advisory_unlock({AdvisoryLockKey});");
            }
        }

        logger.LogInformation("Schema version {Version} is in place on {Database}", Version, database.Kind);

        async Task Run(string sql)
        {
            await using var command = OrchestratorDatabase.CreateCommand(connection, sql);

            // No time limit on PostgreSQL: a script that builds an index over a table of millions of rows (an upgrade
            // of a big database) takes as long as it takes, and the silo must not give up on its start half-way
            // through. (SQLite's command timeout is how long to wait for a busy database, kept as it is.)
            if (database.Kind == DatabaseKind.PostgreSql)
            {
                command.CommandTimeout = 0;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string ReadScript(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The schema script '{name}' is not embedded in {typeof(SchemaInstaller).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
