using System.Diagnostics;

namespace LlavaRad.Worker.Telemetry;

/// <summary>
/// One pipeline stage of one job: a span named after the stage (child of the job's span, parent of the HTTP and
/// gRPC calls made inside it) and, on dispose, its duration in llavarad.worker.stage.duration.
/// <code>using (metrics.Stage("infer")) { ... }</code>
/// </summary>
public sealed class StageScope : IDisposable
{
    private readonly WorkerMetrics _metrics;
    private readonly string _stage;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;

    internal StageScope(WorkerMetrics metrics, string stage)
    {
        _metrics = metrics;
        _stage = stage;
        _activity = WorkerActivity.Source.StartActivity(stage);
        _activity?.SetTag("llavarad.stage", stage);
    }

    public void Dispose()
    {
        _metrics.RecordStage(_stage, Stopwatch.GetElapsedTime(_started));
        _activity?.Dispose();
    }
}
