using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orchestrator.Storage;

/// <summary>
/// The orchestrator's relational store, whichever database backs it. Statements are written once in the
/// SQL both databases accept (named <c>@parameters</c>, <c>RETURNING</c>, partial unique indexes), so the
/// grains never know which wiring they run on.
/// </summary>
public sealed class OrchestratorDatabase : IAsyncDisposable
{
    /// <summary>How long a SQLite writer waits for another's lock before it fails, as the driver's default command timeout.</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly DbDataSource _dataSource;
    private long _writes;
    private long _queries;

    public OrchestratorDatabase(DatabaseKind kind, string connectionString)
    {
        Kind = kind;
        ConnectionString = kind == DatabaseKind.PostgreSql ? WithPostgresDefaults(connectionString) : connectionString;
        _dataSource = kind == DatabaseKind.Sqlite
            ? SqliteFactory.Instance.CreateDataSource(ConnectionString)
            : NpgsqlDataSource.Create(ConnectionString);
    }

    public DatabaseKind Kind { get; }

    /// <summary>The embedded wiring's database: <c>orchestrator.db</c> in <paramref name="dataPath"/>, created when missing.</summary>
    public static OrchestratorDatabase Embedded(string dataPath)
    {
        var folder = Path.GetFullPath(dataPath);
        Directory.CreateDirectory(folder);

        // Foreign keys: SQLite checks them only when asked, and PostgreSQL always does; both wirings must agree.
        return new OrchestratorDatabase(DatabaseKind.Sqlite, $"Data Source={Path.Combine(folder, "orchestrator.db")};Pooling=True;Foreign Keys=True")
        {
            DataFolder = folder,
        };
    }

    /// <summary>The embedded wiring's data folder (which holds the database and the secret key file); null on PostgreSQL.</summary>
    public string? DataFolder { get; private init; }

    public string ConnectionString { get; }

    /// <summary>The ADO.NET invariant name the Orleans providers are given for this database.</summary>
    public string OrleansInvariant => Kind == DatabaseKind.Sqlite ? "System.Data.SQLite" : "Npgsql";

    /// <summary>Statements that changed data, counted since start; lets tests prove a hot path writes nothing.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Queries run, counted since start; lets tests prove a hot path reads nothing.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>
    /// The orchestrator's defaults for a PostgreSQL connection string, where it leaves them unset. No reset on close: a
    /// pooled connection given back sends <c>DISCARD ALL</c> with its next statement, a statement (and a transaction) of
    /// the server's for each of the many short reads; no statement of the orchestrator's, nor of Orleans', leaves session
    /// state behind (the schema's advisory lock is released in a <c>finally</c>). Auto-prepare: the statements a
    /// connection runs again and again are parsed and planned once on it, not at each run.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(given, "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Names(given, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;

        static bool Names(DbConnectionStringBuilder given, string keyword) =>
            given.Keys.Cast<string>().Any(k => string.Equals(k.Replace(" ", string.Empty, StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Counts a statement that changes data run by a writer on its own connection.</summary>
    internal void CountWrite() => Interlocked.Increment(ref _writes);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        if (connection is SqliteConnection sqlite)
        {
            // A writer that finds the file locked waits inside SQLite, which retries within a millisecond or two of the
            // lock's release. Without this, Microsoft.Data.Sqlite retries itself after sleeping 150 ms each time.
            SQLitePCL.raw.sqlite3_busy_timeout(sqlite.Handle, BusyTimeoutMilliseconds);
        }

        return connection;
    }

    /// <summary>Runs a statement that changes data and answers how many rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = CreateCommand(connection, sql, parameters);
        Interlocked.Increment(ref _writes);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Runs statements that change data in one transaction: all of them are committed, or none. Answers how many
    /// rows the first one touched.
    /// </summary>
    public async Task<int> ExecuteAllAsync(params (string Sql, (string Name, object? Value)[] Parameters)[] statements)
    {
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var first = 0;
        for (var i = 0; i < statements.Length; i++)
        {
            await using var command = CreateCommand(connection, statements[i].Sql, statements[i].Parameters);
            command.Transaction = transaction;
            Interlocked.Increment(ref _writes);
            var rows = await command.ExecuteNonQueryAsync();
            first = i == 0 ? rows : first;
        }

        await transaction.CommitAsync();
        return first;
    }

    /// <summary>Runs an INSERT … RETURNING id and answers the new row's id.</summary>
    public async Task<long> InsertAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = CreateCommand(connection, sql, parameters);
        Interlocked.Increment(ref _writes);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = CreateCommand(connection, sql, parameters);
        Interlocked.Increment(ref _queries);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
        where T : class
    {
        var rows = await QueryAsync(sql, map, parameters);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Runs a query whose first row's <c>guid</c> column is the answer; null when no row matches.</summary>
    public async Task<Guid?> QueryGuidAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var rows = await QueryAsync(sql, reader => reader.Guid("guid"), parameters);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<long?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = CreateCommand(connection, sql, parameters);
        Interlocked.Increment(ref _queries);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? null : Convert.ToInt64(value);
    }

    /// <summary>True when the database refused a write because a unique index already holds the value.</summary>
    public static bool IsUniqueViolation(DbException exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// True while a transaction is open on a SQLite connection: after a failed statement, whether SQLite undid only that
    /// statement (a constraint) or the whole transaction (a full disk, an I/O error). False on any other connection.
    /// </summary>
    public static bool IsInTransaction(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0;

    /// <summary>True when a failure is the database being busy or out of reach for now, so the call may be retried.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>
    /// A condition that <paramref name="column"/> is one of a list given as one parameter (<see cref="ListOf{T}"/>): the
    /// statement's text is the same for any number of values, so it is prepared once.
    /// </summary>
    public string InList(string column, string parameter) => Kind == DatabaseKind.PostgreSql
        ? $"{column} = ANY({parameter})"
        : $"{column} IN (SELECT value FROM json_each({parameter}))";

    /// <summary>The value of an <see cref="InList"/> parameter: an array on PostgreSQL, a JSON array on SQLite.</summary>
    public object ListOf<T>(IReadOnlyList<T> values)
    {
        var stored = values.Select(v => ToDatabaseValue(v)).ToArray();
        if (Kind == DatabaseKind.PostgreSql)
        {
            return stored switch
            {
                _ when stored.All(v => v is string) => stored.Cast<string>().ToArray(),
                _ when stored.All(v => v is long) => stored.Cast<long>().ToArray(),
                _ => throw new ArgumentException($"A list of {typeof(T).Name} is not stored as text or integers.", nameof(values)),
            };
        }

        return System.Text.Json.JsonSerializer.Serialize(stored);
    }

    public static DbCommand CreateCommand(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command.Parameters, command.CreateParameter, parameters);
        return command;
    }

    /// <summary>Adds a statement with its parameters to <paramref name="batch"/> (a database that takes many statements in one round trip).</summary>
    public static DbBatchCommand AddBatchCommand(DbBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        Bind(command.Parameters, command.CreateParameter, parameters);
        batch.BatchCommands.Add(command);
        return command;
    }

    private static void Bind(DbParameterCollection target, Func<DbParameter> create, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = ToDatabaseValue(value);
            target.Add(parameter);
        }
    }

    /// <summary>
    /// Gives a command run before new values for the same parameters, so that it runs again without being prepared
    /// again; false (nothing changed) when the names differ from the ones it was made with.
    /// </summary>
    public static bool TryRebind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        var bound = command.Parameters;
        if (bound.Count != parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            bound[i].Value = ToDatabaseValue(parameters[i].Value);
        }

        return true;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // GUIDs are stored as text and times as Unix milliseconds so both databases hold the same values.
    private static object ToDatabaseValue(object? value) => value switch
    {
        null => DBNull.Value,
        Guid guid => guid.ToString("D"),
        DateTimeOffset time => time.ToUnixTimeMilliseconds(),
        bool flag => flag ? 1 : 0,
        Enum e => Convert.ToInt32(e),
        _ => value,
    };
}
