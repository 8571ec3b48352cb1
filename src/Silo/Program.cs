using Orchestrator.Api;
using Orchestrator.Hosting;
using Orchestrator.Silo;

OrchestratorOptions? options = null;
try
{
    // The settings next to the program (appsettings.json, copied to the output) are read from wherever it is started.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    options = builder.AddOrchestrator();

    var app = builder.Build();
    app.MapOrchestratorApi();
    await app.RunAsync();
    return 0;
}
catch (Exception e)
{
    // Started or not, the host has stopped: say why in one line, and exit with a failure a service manager sees.
    Console.Error.WriteLine($"The orchestrator stopped: {StartupFailure.Describe(e, options)}");
    return 1;
}
