namespace LlavaRad.Worker.Tests.Telemetry;

/// <summary>
/// Tests that read exact values off a worker's /metrics run alone. OpenTelemetry's meter provider listens to every
/// meter named "LlavaRad.Worker" in the process, whichever host's IMeterFactory made it, so a worker started by a
/// test running in parallel adds its own queue-depth gauge (last value wins) and counts to the same scrape.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "process-wide metrics";
}
