namespace Orchestrator.Storage;

/// <summary>Which relational database holds the orchestrator's records and the Orleans tables.</summary>
public enum DatabaseKind
{
    /// <summary>The embedded default: one SQLite file under the data folder.</summary>
    Sqlite,

    /// <summary>The cluster wiring: a PostgreSQL database shared by every silo.</summary>
    PostgreSql,
}
