using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>
    /// A loopback TCP port nothing listens on right now. It is released before its user binds it, so another
    /// process (or a collection running in parallel) may take it first: where the listener cannot bind port 0
    /// itself, the caller retries with another port when the bind fails (<see cref="IsAddressInUse"/>).
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is a bind that failed on a port already taken.</summary>
    public static bool IsAddressInUse(Exception? exception) => exception switch
    {
        null => false,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsAddressInUse),
        _ => exception.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || IsAddressInUse(exception.InnerException),
    };
}
