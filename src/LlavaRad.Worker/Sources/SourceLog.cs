namespace LlavaRad.Worker.Sources;

/// <summary>The study sources' log lines (event ids 3001-3099; the notification endpoint's are 3101+), the coded reason a structured field.</summary>
public static partial class SourceLog
{
    public const string FolderUnreadable = "folder-source-unreadable";
    public const string FolderNoStudyUid = "folder-source-no-study-uid";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{Reason}: {Error}")]
    public static partial void FolderNotScanned(ILogger logger, string reason, string error);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Reason}: a folder with {Count} file(s) has no readable StudyInstanceUID")]
    public static partial void FolderWithoutStudy(ILogger logger, string reason, int count);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Source {Source} failed: {Reason} ({ErrorType}); retry {Failures} in {Delay}")]
    public static partial void PollFailed(ILogger logger, string source, string reason, string errorType, int failures, TimeSpan delay);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{ImagingStudy} from {Source} skipped: {Reason}")]
    public static partial void EventSkipped(ILogger logger, string imagingStudy, string source, string reason);
}
