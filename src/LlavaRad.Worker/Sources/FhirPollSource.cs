using LlavaRad.Fhir.Intake;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Polls ImagingStudy by _lastUpdated (the poller keeps its durable cursor in the job store's cursor table) and
/// feeds what it finds through <see cref="FhirStudyIntake"/>. Also covers notifications that never arrived.
/// The poller is built at the first poll, so a missing Fhir:BaseUrl is reported by start-up validation.
/// </summary>
public sealed class FhirPollSource(Lazy<ImagingStudyPoller> poller, IOptions<PollingOptions> polling, IOptions<StudySourcesOptions> options,
    WorkerMetrics metrics, ILogger<FhirPollSource> logger) : PollingSource(options, metrics, logger)
{
    public override string Name => "fhir-poll";

    protected override TimeSpan Interval => polling.Value.Interval;

    public override async Task<bool> PollOnceAsync(CancellationToken cancellationToken) =>
        await poller.Value.PollOnceAsync("poll", cancellationToken) >= polling.Value.PageSize;
}
