using System.Net;
using Microsoft.AspNetCore.Builder;
using Orchestrator.Api;
using Orchestrator.Hosting;
using Orchestrator.Storage;
using Orleans.Configuration;

namespace Orchestrator.Silo;

/// <summary>
/// Composes one orchestrator process: an Orleans silo and the HTTP API in the same host. The wiring is
/// chosen by configuration alone: <c>ConnectionStrings:Orchestrator</c> set means the cluster wiring on
/// PostgreSQL, unset means the embedded wiring on a SQLite file under <c>Orchestrator:DataPath</c>.
/// </summary>
public static class OrchestratorHost
{
    /// <summary>Adds the silo and the API to <paramref name="builder"/>; answers the settings it was composed with.</summary>
    public static OrchestratorOptions AddOrchestrator(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(OrchestratorOptions.Section).Get<OrchestratorOptions>() ?? new OrchestratorOptions();

        foreach (var unknown in UnknownSettings.In(configuration))
        {
            Console.Error.WriteLine($"Warning: the setting {unknown} is not one the orchestrator reads (a misspelling?); it is ignored.");
        }

        // The ports, the cluster's names and the data folder are used here, before the options' own check at start
        // would run: checked now, so that a bad one is named rather than failing deep inside Orleans or SQLite.
        OrchestratorOptionsCheck.ThrowIfInvalid(options);
        var postgres = configuration.GetConnectionString("Orchestrator");
        var database = string.IsNullOrWhiteSpace(postgres) ? EmbeddedDatabase(options.DataPath) : ClusterDatabase(postgres);

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxJsonBodyBytes);
        builder.Services.AddOrchestratorApi();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            if (database.Kind == DatabaseKind.Sqlite)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }
            else
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = database.OrleansInvariant;
                    o.ConnectionString = database.ConnectionString;
                });
                if (string.IsNullOrWhiteSpace(options.AdvertisedIP))
                {
                    silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
                }
                else
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedIP), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                }
            }

            silo.AddOrchestratorGrains(database);
        });
        return options;
    }

    /// <summary>The embedded wiring's database, in a data folder made if need be and known to be writable.</summary>
    private static OrchestratorDatabase EmbeddedDatabase(string dataPath)
    {
        try
        {
            var database = OrchestratorDatabase.Embedded(dataPath);
            var probe = Path.Combine(database.DataFolder!, $".write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return database;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"The setting {OrchestratorOptions.Section}:DataPath ('{dataPath}') is not a folder the orchestrator can write its database in: {e.Message}", e);
        }
    }

    private static OrchestratorDatabase ClusterDatabase(string connectionString)
    {
        try
        {
            return new OrchestratorDatabase(DatabaseKind.PostgreSql, connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"The setting ConnectionStrings:Orchestrator is not a PostgreSQL connection string: {e.Message}", e);
        }
    }
}
