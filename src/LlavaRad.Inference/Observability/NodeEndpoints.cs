using System.Net;
using LlavaRad.Contracts;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LlavaRad.Inference.Observability;

/// <summary>
/// Kestrel endpoints when the observability listener or TLS is on. Kestrel ignores "urls" once any endpoint is set
/// in code, so the gRPC addresses are bound here too: HTTP/2 (TLS from Inference:Tls for https), and the
/// observability address, when set, as plain HTTP/1.1. Each connection is marked with its listener, so that gRPC
/// answers only on <see cref="Grpc"/> and /metrics and the probes only on <see cref="Observability"/>
/// (<see cref="ListenerScopes"/>), whatever Host header a client sends.
/// </summary>
public static class NodeEndpoints
{
    public const string Grpc = "grpc";
    public const string Observability = "observability";

    public static void Listen(KestrelServerOptions kestrel, IEnumerable<string> grpcUrls, string observabilityUrl, Action<ListenOptions>? useHttps)
    {
        foreach (var url in grpcUrls)
        {
            var address = Parse(url, "urls");
            Bind(kestrel, address, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.MarkConnections(Grpc);
                if (address.Scheme != Uri.UriSchemeHttps) return;
                if (useHttps is null) throw new InvalidOperationException($"{url} is https:// but Inference:Tls has no certificate");
                useHttps(listen);
            });
        }
        if (observabilityUrl.Length == 0) return;
        var observability = Parse(observabilityUrl, "Inference:ObservabilityUrl");
        if (observability.Scheme != Uri.UriSchemeHttp)
            throw new InvalidOperationException($"Inference:ObservabilityUrl {observabilityUrl} must be plain http:// (metrics and probes carry no patient data)");
        Bind(kestrel, observability, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.MarkConnections(Observability);
        });
    }

    private static Uri Parse(string url, string setting)
    {
        // "*" and "+" mean every interface in ASP.NET Core URLs; Uri does not accept them as hosts.
        var normalised = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InvalidOperationException($"{setting}: \"{url}\" is not an http:// or https:// address");
        return uri;
    }

    private static void Bind(KestrelServerOptions kestrel, Uri address, Action<ListenOptions> configure)
    {
        if (address.Host == "localhost") kestrel.ListenLocalhost(address.Port, configure);
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip)) kestrel.Listen(ip, address.Port, configure);
        else throw new InvalidOperationException($"{address}: bind to an IP address or localhost, not a host name");
    }
}
