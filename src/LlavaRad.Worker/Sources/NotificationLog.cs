namespace LlavaRad.Worker.Sources;

/// <summary>The notification endpoint's log lines: one line per refusal, with the coded reason and no request content.</summary>
public static partial class NotificationLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Rest-hook notification refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);
}
