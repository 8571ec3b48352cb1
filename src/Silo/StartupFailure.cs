using System.Net.Sockets;
using Orchestrator.Hosting;

namespace Orchestrator.Silo;

/// <summary>
/// What an operator reads when the orchestrator cannot start: one line naming the cause (the setting at fault where one
/// is), not the stack trace of an unhandled exception.
/// </summary>
public static class StartupFailure
{
    /// <summary>The messages of <paramref name="failure"/> and its causes, each once, with a hint where the cause is a taken port.</summary>
    public static string Describe(Exception failure, OrchestratorOptions? options)
    {
        var messages = new List<string>();
        var portTaken = false;
        for (var e = failure; e is not null; e = e.InnerException)
        {
            portTaken |= e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse };
            var message = e.Message.Trim();
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        var text = string.Join(" ", messages.Select(m => m.EndsWith('.') ? m : m + "."));

        // Kestrel names the address it could not bind; Orleans does not name its ports.
        if (portTaken && options is not null && !messages.Any(m => m.StartsWith("Failed to bind to address", StringComparison.Ordinal)))
        {
            text += $" Another process may hold Orchestrator:SiloPort ({options.SiloPort}) or Orchestrator:GatewayPort ({options.GatewayPort}).";
        }

        return text;
    }
}
