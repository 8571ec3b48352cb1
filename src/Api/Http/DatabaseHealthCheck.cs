using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orchestrator.Storage;

namespace Orchestrator.Api.Http;

/// <summary>Ready means the database answers: without it no record can be read or written.</summary>
public sealed class DatabaseHealthCheck(OrchestratorDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = OrchestratorDatabase.CreateCommand(connection, "SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Kind} answers.");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{database.Kind} does not answer.", e);
        }
    }
}
