using Orchestrator.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Hosts for the storage tests: the suite's hosts allow one-megabyte files (a 413 stays cheap), and storage must
/// show multi-megabyte files round-trip, so these allow <see cref="MaxFileBytes"/>.
/// </summary>
public static class StorageFixture
{
    public const int MaxFileBytes = 5 * 1024 * 1024;

    public static Dictionary<string, string?> With(Dictionary<string, string?> settings)
    {
        settings["Orchestrator:MaxFileBytes"] = MaxFileBytes.ToString();
        return settings;
    }
}

/// <summary>One embedded-wiring host for the storage tests, on a data folder of its own.</summary>
public sealed class EmbeddedStorageFixture() : OrchestratorFixture(DatabaseKind.Sqlite, "storage")
{
    protected override void Configure(Dictionary<string, string?> settings) => StorageFixture.With(settings);
}

/// <summary>One cluster-wiring host for the storage tests, on a database of its own on the run's PostgreSQL server.</summary>
public sealed class PostgresStorageFixture() : OrchestratorFixture(DatabaseKind.PostgreSql, "storage")
{
    protected override void Configure(Dictionary<string, string?> settings) => StorageFixture.With(settings);
}
