namespace Orchestrator.Bench;

/// <summary>The endpoints measured; each is one mode of <c>lua/bench.lua</c>.</summary>
public static class Endpoint
{
    /// <summary>The baseline: a constant answer from the same host, through Kestrel and routing only.</summary>
    public const string Alive = "alive";

    public static readonly string[] All = ["heartbeat", "read", "list", "unauthorized"];

    public static string Describe(string endpoint) => endpoint switch
    {
        Alive => "GET /alive (baseline)",
        "heartbeat" => "POST /api/robot/heartbeat, robots in turn",
        "read" => "GET /api/robot/read/{guid}, robots in turn",
        "list" => "GET /api/robot/read, an account of list-robots robots",
        "unauthorized" => "GET /api/robot/read with a key of no account (401)",
        "byname" => "GET /api/asset/byName/{name}?robot=, 100 assets of every visibility in turn",
        "logcreate" => "POST /api/log/create, one line",
        "logbatch" => "POST /api/log/createBatch, 100 lines",
        _ => endpoint,
    };

    /// <summary>Whether every answer of the endpoint is expected to be a 2xx (the 401 endpoint's never are).</summary>
    public static bool ExpectsSuccess(string endpoint) => endpoint != "unauthorized";
}
