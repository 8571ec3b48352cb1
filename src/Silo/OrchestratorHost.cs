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
    public static WebApplicationBuilder AddOrchestrator(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(OrchestratorOptions.Section).Get<OrchestratorOptions>() ?? new OrchestratorOptions();
        var postgres = configuration.GetConnectionString("Orchestrator");
        var database = string.IsNullOrWhiteSpace(postgres)
            ? OrchestratorDatabase.Embedded(options.DataPath)
            : new OrchestratorDatabase(DatabaseKind.PostgreSql, postgres);

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
        return builder;
    }
}
