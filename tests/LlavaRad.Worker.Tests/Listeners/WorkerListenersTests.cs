using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using LlavaRad.Worker.Listeners;
using LlavaRad.Worker.Tests.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Tests.Listeners;

/// <summary>
/// The worker's two listeners, bound by Kestrel on loopback: operations routes only on one, the notification endpoint
/// only on the other, and TLS with client certificates from a CA made here (System.Security.Cryptography).
/// </summary>
public sealed class WorkerListenersTests : IDisposable
{
    private const string Secret = "Bearer listener-test";
    private const string N = "--Worker:Listeners:Notifications";
    private readonly TestPki _site = new("site");
    private readonly TestPki _stranger = new("stranger");

    public void Dispose()
    {
        _site.Dispose();
        _stranger.Dispose();
    }

    private static Task<RunningWorker> StartAsync(params string[] settings) => RunningWorker.StartAsync(
        [$"{N}:Port=0", "--Worker:Listeners:Operations:Port=0",
         "--Sources:FhirNotifications:Enabled=true", $"--Fhir:BaseUrl=http://127.0.0.1:{ClosedPort.Next()}/fhir",
         $"--Fhir:Notifications:ExpectedAuthorization={Secret}", "--Fhir:Retry:MaxAttempts=1", .. settings]);

    private string[] Tls(string mode) =>
    [
        $"{N}:CertificatePath={_site.ServerCertificatePath}", $"{N}:KeyPath={_site.ServerKeyPath}",
        $"{N}:ClientCertificateMode={mode}", $"{N}:ClientCaPath={_site.CaPath}",
    ];

    /// <summary>A notification with the wrong secret: the endpoint itself answers 401, anything else did not reach it.</summary>
    private static async Task<HttpStatusCode> NotifyAsync(HttpClient http, Uri listener)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(listener, "/fhir/notifications")) { Content = new StringContent("{}") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer wrong");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, Uri listener, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(listener, path));
        if (host is not null) request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A client that trusts only the site CA for the server, presenting <paramref name="client"/>'s certificate if given.</summary>
    private HttpClient HttpsClient(TestPki? client) => new(SiteCaHandler.Create(File.ReadAllText(_site.CaPath),
        client is null ? null : X509Certificate2.CreateFromPemFile(client.ClientCertificatePath, client.ClientKeyPath)));

    [Fact]
    public async Task BothListenersDefaultToLoopback()
    {
        var defaults = new WorkerListenersOptions();
        Assert.Equal("127.0.0.1", defaults.Operations.Address);
        Assert.Equal("127.0.0.1", defaults.Notifications.Address);

        await using var worker = await StartAsync();

        Assert.Equal(IPAddress.Loopback.ToString(), worker.Listener(WorkerListeners.Operations).Host);
        Assert.Equal(IPAddress.Loopback.ToString(), worker.Listener(WorkerListeners.Notifications).Host);
        Assert.NotEqual(worker.Listener(WorkerListeners.Operations).Port, worker.Listener(WorkerListeners.Notifications).Port);
    }

    [Fact]
    public async Task OperationsRoutesAnswerOnlyOnTheOperationsListenerAndNotificationsOnlyOnTheOther()
    {
        await using var worker = await StartAsync();
        var operations = worker.Listener(WorkerListeners.Operations);
        var notifications = worker.Listener(WorkerListeners.Notifications);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, operations, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, operations, "/health/live"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, notifications, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, notifications, "/health/ready"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, notifications, "/healthz"));
        // The Host header is the client's to choose: naming the operations port in it changes nothing.
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, notifications, "/metrics", host: operations.Authority));
        Assert.Equal(HttpStatusCode.Unauthorized, await NotifyAsync(http, notifications));
        Assert.Equal(HttpStatusCode.NotFound, await NotifyAsync(http, operations));
    }

    [Fact]
    public async Task ATlsNotificationListenerAnswersOverHttps()
    {
        await using var worker = await StartAsync(Tls("None"));
        var notifications = worker.Listener(WorkerListeners.Notifications);
        using var https = HttpsClient(client: null);

        Assert.Equal(Uri.UriSchemeHttps, notifications.Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, await NotifyAsync(https, notifications));
        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => NotifyAsync(plain, new UriBuilder(notifications) { Scheme = "http" }.Uri));
    }

    [Fact]
    public async Task WithRequiredClientCertificatesOnlyClientsOfTheTrustedCaGetThrough()
    {
        await using var worker = await StartAsync(Tls("Require"));
        var notifications = worker.Listener(WorkerListeners.Notifications);
        using var withoutCertificate = HttpsClient(client: null);
        using var stranger = HttpsClient(_stranger);
        using var siteClient = HttpsClient(_site);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => NotifyAsync(withoutCertificate, notifications));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => NotifyAsync(stranger, notifications));
        Assert.Equal(HttpStatusCode.Unauthorized, await NotifyAsync(siteClient, notifications));
    }

    [Fact]
    public async Task AllowedClientCertificatesAreOptionalButMustChainToTheTrustedCa()
    {
        await using var worker = await StartAsync(Tls("Allow"));
        var notifications = worker.Listener(WorkerListeners.Notifications);
        using var withoutCertificate = HttpsClient(client: null);
        using var stranger = HttpsClient(_stranger);

        Assert.Equal(HttpStatusCode.Unauthorized, await NotifyAsync(withoutCertificate, notifications));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => NotifyAsync(stranger, notifications));
    }

    [Fact]
    public async Task APkcs12CertificateWithItsPasswordServesTheNotificationListener()
    {
        using var dir = new TempDirectory();
        using (var pem = X509Certificate2.CreateFromPemFile(_site.ServerCertificatePath, _site.ServerKeyPath))
            File.WriteAllBytes(dir.File("server.pfx"), pem.Export(X509ContentType.Pkcs12, "pfx-test-password"));
        await using var worker = await StartAsync($"{N}:CertificatePath={dir.File("server.pfx")}", $"{N}:CertificatePassword=pfx-test-password");
        using var https = HttpsClient(client: null);

        Assert.Equal(HttpStatusCode.Unauthorized, await NotifyAsync(https, worker.Listener(WorkerListeners.Notifications)));
    }

    [Fact]
    public async Task RefusedClientCertificatesAreCountedByListenerAndReason()
    {
        await using var worker = await StartAsync(Tls("Require"));
        var notifications = worker.Listener(WorkerListeners.Notifications);
        using (var withoutCertificate = HttpsClient(client: null))
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => NotifyAsync(withoutCertificate, notifications));
        using (var stranger = HttpsClient(_stranger))
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => NotifyAsync(stranger, notifications));

        using var http = new HttpClient { BaseAddress = worker.Listener(WorkerListeners.Operations) };
        foreach (var reason in new[] { "client-certificate-missing", "client-certificate-untrusted" })
        {
            bool Counted(string scrape) => scrape.Split('\n').Any(l => l.StartsWith("llavarad_worker_tls_refused_total{", StringComparison.Ordinal)
                && l.Contains("listener=\"notifications\"") && l.Contains($"reason=\"{reason}\""));
            var deadline = DateTime.UtcNow.AddSeconds(30); // the exporter may answer from a scrape cache
            string scrape;
            while (!Counted(scrape = await http.GetStringAsync("/metrics")) && DateTime.UtcNow < deadline)
                await Task.Delay(250);
            Assert.True(Counted(scrape), $"no {reason} refusal counted:\n{string.Join("\n", scrape.Split('\n').Where(l => l.Contains("tls_refused")))}");
        }
    }

    [Theory]
    [InlineData("CertificatePath=/nonexistent/server.pem", "Worker:Listeners:Notifications:CertificatePath \"/nonexistent/server.pem\" does not exist")]
    [InlineData("ClientCertificateMode=Require", "Worker:Listeners:Notifications:ClientCertificateMode Require needs TLS: set Worker:Listeners:Notifications:CertificatePath")]
    [InlineData("Address=worker.hospital.example", "Worker:Listeners:Notifications:Address must be an IP address")]
    public async Task AnInvalidListenerSettingFailsTheStartNamingIt(string setting, string expected)
    {
        using var dir = new TempDirectory();
        await using var app = WorkerHost.Build([$"--JobStore:SqlitePath={dir.File("jobs.db")}", $"{N}:Port=0", "--Worker:Listeners:Operations:Port=0", $"{N}:{setting}"],
            builder => builder.Logging.ClearProviders());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expected, error.Message);
    }
}
