using Orchestrator.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Two orchestrator silos on the cluster wiring, sharing a PostgreSQL database of their own on the run's
/// throwaway server: the HTTP suite runs against the first, cross-silo tests use both.
/// </summary>
public sealed class PostgresFixture() : OrchestratorFixture(DatabaseKind.PostgreSql, "postgres", silos: 2);
