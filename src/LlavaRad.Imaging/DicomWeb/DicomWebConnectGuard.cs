using System.Net;
using System.Net.Sockets;

namespace LlavaRad.Imaging.DicomWeb;

/// <summary>
/// The HTTP handler for DICOMweb reads: no redirects, and no connection to a loopback, link-local or cloud-metadata
/// address reached through a host NAME (a DNS answer can point a harmless-looking base there). A base written as an
/// IP literal or as "localhost" was configured for that address on purpose and is connected as given.
/// </summary>
public static class DicomWebConnectGuard
{
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            if (!string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) && addresses.Any(IsInternal))
                throw new DicomWebAddressRefusedException($"{DicomWebException.AddressRefused}: {host} resolves to a loopback, link-local or metadata address");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, link-local (169.254/16 holds the cloud metadata service, fe80::/10), and AWS's IPv6 metadata.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal) return true;
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork) return bytes[0] == 169 && bytes[1] == 254 || bytes[0] == 0;
        return address.Equals(IPAddress.Parse("fd00:ec2::254")) || address.Equals(IPAddress.IPv6Any);
    }
}

/// <summary>Thrown by the connect guard; the client turns it into <see cref="DicomWebException.AddressRefused"/>.</summary>
public sealed class DicomWebAddressRefusedException(string message) : Exception(message);
