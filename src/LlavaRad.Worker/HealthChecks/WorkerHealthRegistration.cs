using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using LlavaRad.Worker.Options;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>
/// Readiness checks for every peer the configuration names: the job store, the FHIR server (Fhir:BaseUrl), the
/// DICOMweb server an enabled source reads (Sources:Orthanc:DicomWebUrl or Sources:Qido:Url) and the inference node (registered by the
/// host). All carry the "ready" tag. Liveness runs only the "live" ones, here "self" (the process answers), as
/// eShop's ServiceDefaults splits them: a peer that is down makes the worker unready, never restarted.
/// </summary>
public static class WorkerHealthRegistration
{
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";
    private const string ProbeClient = "health-probe";

    public static IHealthChecksBuilder AddWorkerReadinessChecks(this IHealthChecksBuilder health, IConfiguration configuration)
    {
        health.AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag]);
        health.Services.AddHttpClient(ProbeClient);
        if ((configuration[$"{JobStoreOptions.Section}:Provider"] ?? "sqlite") == "sqlite")
            health.AddCheck<SqlJobStoreHealthCheck>("job-store", tags: [ReadyTag]);

        if (Absolute(configuration["Fhir:BaseUrl"]) is { } fhir)
            health.Add(Peer("fhir", new Uri(WithSlash(fhir), "metadata"), "fhir-unreachable"));
        var sources = configuration.GetSection(StudySourcesOptions.Section).Get<StudySourcesOptions>() ?? new StudySourcesOptions();
        var dicomWebUrl = sources.Orthanc.Enabled ? sources.Orthanc.DicomWebUrl : sources.Qido.Enabled ? sources.Qido.Url : null;
        if (Absolute(dicomWebUrl) is { } dicomWeb)
            health.Add(Peer("dicomweb", new Uri(WithSlash(dicomWeb), "studies?limit=1"), "dicomweb-unreachable"));
        return health;
    }

    private static HealthCheckRegistration Peer(string name, Uri probe, string code) =>
        new(name, sp => new HttpPeerHealthCheck(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ProbeClient), probe, code),
            failureStatus: null, tags: [ReadyTag]);

    private static Uri? Absolute(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
