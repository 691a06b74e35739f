namespace LlavaRad.Worker.Pipeline;

/// <summary>
/// The job runner's log lines (event ids 2001-2099). The coded reason is a structured field ({Reason}) and leads the
/// rendered line, so a line reads as before and a log query can filter on the code.
/// </summary>
public static partial class JobRunnerLog
{
    public const string KillSwitchEngaged = "kill-switch-engaged";
    public const string JobStoreUnavailable = "job-store-unavailable";
    public const string LeaseLost = "lease-lost";
    public const string HeartbeatFailed = "heartbeat-failed";
    public const string Stopping = "worker-stopping";

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "{Reason}: {Owner} claims no new jobs")]
    public static partial void KillSwitch(ILogger logger, string reason, string owner);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "{Reason}: {Error}")]
    public static partial void StoreUnavailable(ILogger logger, string reason, string error);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Reason}: job {JobId} finished elsewhere; this attempt's result is dropped")]
    public static partial void FinishedElsewhere(ILogger logger, string reason, long jobId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{Reason}: job {JobId} was taken over; this attempt stops")]
    public static partial void TakenOver(ILogger logger, string reason, long jobId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "{Reason}: job {JobId} failed with {Error}")]
    public static partial void Unexpected(ILogger logger, string reason, long jobId, string error);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "{Reason}: job {JobId} ({Error})")]
    public static partial void Heartbeat(ILogger logger, string reason, long jobId, string error);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "job {JobId} attempt {Attempt}: {Reason} -> {State} in {Milliseconds} ms")]
    public static partial void AttemptFinished(ILogger logger, long jobId, int attempt, string reason, string state, long milliseconds);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "{Reason}: job {JobId} goes back to the queue")]
    public static partial void Released(ILogger logger, string reason, long jobId);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "{Reason}: job {JobId} could not be released ({Error}); its lease runs out instead")]
    public static partial void ReleaseFailed(ILogger logger, string reason, long jobId, string error);
}
