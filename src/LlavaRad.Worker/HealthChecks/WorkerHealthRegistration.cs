using LlavaRad.Fhir;
using LlavaRad.Worker.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using LlavaRad.Worker.Options;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>
/// Readiness checks for every peer the configuration names: the job store (SQLite or PostgreSQL), the FHIR server (Fhir:BaseUrl), the
/// DICOMweb server an enabled source reads (Sources:Orthanc:DicomWebUrl or Sources:Qido:Url) and the inference node (registered by the
/// host). All carry the "ready" tag. Liveness runs only the "live" ones, here "self" (the process answers), as
/// eShop's ServiceDefaults splits them: a peer that is down makes the worker unready, never restarted.
/// </summary>
public static class WorkerHealthRegistration
{
    public const string ReadyTag = "ready";
    public const string LiveTag = "live";
    private const string ProbeClient = "health-probe";

    /// <param name="fhirConfigured">From <see cref="FhirRegistration.AddFhir"/>.</param>
    /// <param name="sources">From <see cref="Sources.StudySourcesRegistration.AddStudySources"/>.</param>
    public static IHealthChecksBuilder AddWorkerReadinessChecks(this IHealthChecksBuilder health, bool fhirConfigured, StudySourcesOptions sources)
    {
        health.AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag]);
        health.Services.AddHttpClient(ProbeClient);
        // The job store the validated options name: the embedded SQLite file or the PostgreSQL server.
        health.Add(new HealthCheckRegistration("job-store", sp =>
                sp.GetRequiredService<IOptions<JobStoreOptions>>().Value.Provider == JobStoreOptions.PostgreSql
                    ? new PostgresHealthCheck(sp.GetRequiredService<NpgsqlDataSource>())
                    : new SqlJobStoreHealthCheck(sp.GetRequiredService<SqlDialect>()),
            failureStatus: null, tags: [ReadyTag]));

        if (fhirConfigured)
            health.Add(Peer("fhir", sp => new Uri(WithSlash(sp.GetRequiredService<IOptions<FhirStoreOptions>>().Value.BaseUrl!), "metadata"),
                "fhir-unreachable"));
        var dicomWebUrl = sources.Orthanc.Enabled ? sources.Orthanc.DicomWebUrl : sources.Qido.Enabled ? sources.Qido.Url : null;
        if (Absolute(dicomWebUrl) is { } dicomWeb)
            health.Add(Peer("dicomweb", _ => new Uri(WithSlash(dicomWeb), "studies?limit=1"), "dicomweb-unreachable"));
        return health;
    }

    private static HealthCheckRegistration Peer(string name, Func<IServiceProvider, Uri> probe, string code) =>
        new(name, sp => new HttpPeerHealthCheck(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ProbeClient), probe(sp), code),
            failureStatus: null, tags: [ReadyTag]);

    private static Uri? Absolute(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
