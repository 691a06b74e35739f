using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>Every sweep interval, hands the studies that became stable to the job store.</summary>
public sealed class StabilitySweepService(StudyStabilityGate gate, IOptions<StudySourcesOptions> options, WorkerMetrics metrics,
    ILogger<StabilitySweepService> logger) : PollingSource(options, metrics, logger)
{
    public override string Name => "stability";

    protected override TimeSpan Interval => Settings.Stability.SweepInterval;

    public override async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        await gate.SubmitStableAsync(cancellationToken);
        return false;
    }
}
