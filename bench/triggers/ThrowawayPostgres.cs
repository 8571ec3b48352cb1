using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.TriggersBench;

/// <summary>
/// <c>postgres-server</c>: the tests' throwaway PostgreSQL server, durable (fsync and synchronous commit on), for the
/// cluster runs of compare.sh. Prints the port it listens on, then runs until its standard input closes, when it stops
/// the server and removes its folder: the script that started it closing its end (or exiting) is the signal.
/// </summary>
internal static class ThrowawayPostgres
{
    public static async Task<int> ServeAsync()
    {
        // pg_stat_statements loaded (not installed in any database): the driver's --pg-statements breakdown needs it.
        await using var server = await PostgresServer.StartAsync(durable: true, "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on");
        Console.WriteLine(server.Port);
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
