using Orchestrator.Api;
using Orchestrator.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrchestrator();

var app = builder.Build();
app.MapOrchestratorApi();
app.Run();
