using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// Stops claiming new jobs while the configured file exists (touch it to stop, remove it to resume); running jobs
/// finish and queued ones wait, so nothing is lost. Checked before every claim.
/// </summary>
public sealed class KillSwitch(IOptionsMonitor<PipelineOptions> options)
{
    public bool Engaged => options.CurrentValue.KillSwitchFile is { Length: > 0 } file && File.Exists(file);
}
