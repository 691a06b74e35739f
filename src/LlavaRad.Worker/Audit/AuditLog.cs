namespace LlavaRad.Worker.Audit;

/// <summary>The audit trail's log line (event id 4001), the coded reason a structured field.</summary>
public static partial class AuditLog
{
    /// <param name="error">The exception's type only: messages of FHIR or file errors could echo the resource.</param>
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Reason}: audit record for a {Subtype} was not stored ({Error})")]
    public static partial void NotStored(ILogger logger, string reason, string subtype, string error);
}
