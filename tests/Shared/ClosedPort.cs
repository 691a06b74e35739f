using System.Net;
using System.Net.Sockets;

namespace LlavaRad.Tests.Shared;

/// <summary>A loopback port nothing listens on (bound, read, released).</summary>
public static class ClosedPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
