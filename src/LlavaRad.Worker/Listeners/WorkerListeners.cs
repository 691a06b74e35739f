using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LlavaRad.Contracts;
using LlavaRad.Worker.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Listeners;

/// <summary>
/// Binds the two listeners of <see cref="WorkerListenersOptions"/> and keeps each one's routes to it: /metrics and
/// /health/* answer only on the operations listener, everything else only on the notifications listener. Each
/// connection is marked with the listener that accepted it (<see cref="ListenerScopes"/>), not told by its Host header.
/// With "urls" set and no Worker:Listeners section, Kestrel binds those URLs and one listener serves everything,
/// as the tests and the CLI's embedded demo do.
/// </summary>
public static class WorkerListeners
{
    public const string Notifications = "notifications";
    public const string Operations = "operations";

    public static void AddWorkerListeners(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerListenersOptions>().Bind(builder.Configuration.GetSection(WorkerListenersOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WorkerListenersOptions>, WorkerListenersOptionsValidator>();
        builder.Services.AddSingleton<BoundListeners>();
        var urlsOnly = !string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection(WorkerListenersOptions.Section).Exists();
        if (urlsOnly) return;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Kestrel is configured while the app is built, before the host validates options: with a bad setting bind
            // nothing here, and let the start fail with every problem named (ValidateOnStart), not on a certificate file.
            var options = builder.Configuration.GetSection(WorkerListenersOptions.Section).Get<WorkerListenersOptions>() ?? new();
            if (new WorkerListenersOptionsValidator().Validate(null, options).Failed) return;
            var bound = kestrel.ApplicationServices.GetRequiredService<BoundListeners>();
            var metrics = kestrel.ApplicationServices.GetRequiredService<WorkerMetrics>();
            Listen(kestrel, Notifications, options.Notifications, bound, metrics);
            Listen(kestrel, Operations, options.Operations, bound, metrics);
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string name, ListenerOptions options, BoundListeners bound, WorkerMetrics metrics) =>
        kestrel.Listen(IPAddress.Parse(options.Address), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (options.Tls) listen.UseHttps(Handshake(options, name, metrics));
            listen.MarkConnections(name);
            bound.Add(name, listen, options.Tls);
        });

    private static TlsHandshakeCallbackOptions Handshake(ListenerOptions options, string listener, WorkerMetrics metrics)
    {
        var server = options.KeyPath.Length > 0
            ? X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
        var clientRoots = options.ClientCertificateMode == ClientCertificates.None ? null : CertificateTrust.LoadPem(options.ClientCaPath);
        var required = options.ClientCertificateMode == ClientCertificates.Require;
        return new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = options.HandshakeTimeout,
            OnConnection = _ => ValueTask.FromResult(ServerTls.Authentication(server, SslApplicationProtocol.Http11, clientRoots, required,
                reason => metrics.RecordTlsRefusal(listener, reason))),
        };
    }
}
