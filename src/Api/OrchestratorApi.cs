using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Orchestrator.Api.Apis;
using Orchestrator.Api.Http;
using Orchestrator.Queues;
using Orchestrator.Assets;
using Orchestrator.Jobs;
using Orchestrator.Processes;
using Orchestrator.Records;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Storage;
using Orchestrator.Triggers;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Orchestrator.Api;

/// <summary>The HTTP surface: services it needs and the routes it maps.</summary>
public static class OrchestratorApi
{
    public static IServiceCollection AddOrchestratorApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => JsonFormats.ConfigureResponses(o.SerializerOptions));
        services.AddResource<IRobotGrain, RobotRecords>("Robot");
        services.AddResource<IRobotGroupGrain, RobotGroupRecords>("Robot group");
        services.AddResource<IQueueGrain, QueueRecords>("Queue");
        services.AddResource<IAssetGrain, AssetRecords>("Asset");
        services.AddResource<IProcessGrain, ProcessRecords>("Process");
        services.AddResource<IProcessVersionGrain, ProcessVersionRecords>("Process version");
        services.AddResource<IJobGrain, JobRecords>("Job");
        services.AddResource<ITriggerGrain, TriggerRecords>("Trigger");
        services.AddSingleton<ScheduleApi.TriggerDefinitions>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<AccountAssetsGrains>();
        services.AddSingleton<TakenTasks>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Orchestrator API",
                Version = "v1",
                Description = "Robots, robot groups, processes, process versions, jobs, triggers, queues and tasks, assets, storage folders and files, logs, accounts and API keys. Authorize with an account's API key.",
            });
            o.OperationFilter<JsonBodyOperationFilter>();
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "API key",
                Description = "The account's API key (without the 'Bearer ' prefix).",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
        });
        return services;
    }

    /// <summary>Registers the <see cref="Resource{TGrain}"/> through which the endpoint modules handle one record kind.</summary>
    private static void AddResource<TGrain, TRecords>(this IServiceCollection services, string name)
        where TGrain : IGrainWithGuidKey
        where TRecords : IRecordLookup =>
        services.AddSingleton(sp => new Resource<TGrain>(
            name,
            sp.GetRequiredService<TRecords>(),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<GrainInterfaceTypeResolver>(),
            sp.GetRequiredService<GrainInterfaceTypeToGrainTypeResolver>()));

    public static WebApplication MapOrchestratorApi(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(WriteUnhandled));
        app.UseStatusCodePages();
        // Only requests for the Swagger page pass through its two middlewares (a route template match and
        // two regular expressions per GET): every robot call used to.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(o => o.RoutePrefix = "swagger");
        });
        // Before routing: a reference sent in the body stands for the path's {guid}.
        app.Use(BodyGuidPath.Middleware);
        app.UseRouting();
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });

        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();
        api.MapRobotApi();
        api.MapRobotGroupApi();
        api.MapQueueApi();
        api.MapTaskApi();
        api.MapAssetApi();
        api.MapLogApi();
        api.MapProcessApi();
        api.MapProcessVersionApi();
        api.MapFolderApi();
        api.MapFileApi();
        api.MapJobApi();
        api.MapScheduleApi();
        api.MapAccountApi();
        api.MapKeyApi();
        return app;
    }

    /// <summary>
    /// The last line of defence: a request Kestrel refused to read (too large, cut off) keeps its 4xx status;
    /// a database that is busy or out of reach, or a silo that just died and is not yet known to be dead, is a
    /// 503 the client may retry; anything else is a fault of ours and is a 500 problem without internals.
    /// </summary>
    private static async Task WriteUnhandled(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        IResult result = error switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problems.TooLarge(http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0),
            BadHttpRequestException bad => TypedResults.Problem(statusCode: bad.StatusCode, title: "The request could not be read.", detail: "body: could not be read."),
            not null when IsRetryable(error) => Unavailable(http),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The orchestrator failed to handle the request."),
        };
        await result.ExecuteAsync(http);
    }

    private static bool IsRetryable(Exception error) =>
        OrchestratorDatabase.IsTransient(error) || error is OrleansMessageRejectionException or SiloUnavailableException;

    private static IResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The orchestrator is briefly unavailable.", detail: "Retry the request.");
    }
}
