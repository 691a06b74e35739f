namespace LlavaRad.Worker.Telemetry;

/// <summary>The telemetry's log line (event id 6001), the coded reason a structured field.</summary>
public static partial class TelemetryLog
{
    public const string JobStoreUnreachable = "job-store-unreachable";

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Queue depth not sampled: {Reason} ({Error})")]
    public static partial void QueueDepthNotSampled(ILogger logger, string reason, string error);
}
