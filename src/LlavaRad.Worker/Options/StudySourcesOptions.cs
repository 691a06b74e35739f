using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Options;

/// <summary>
/// Bound from "Sources": which study sources run and how. Every source is off by default, so a worker only
/// listens where an operator said so.
/// </summary>
public sealed class StudySourcesOptions
{
    public const string Section = "Sources";

    public StabilityOptions Stability { get; set; } = new();
    public SourceRetryOptions Retry { get; set; } = new();
    public FhirNotificationSourceOptions FhirNotifications { get; set; } = new();
    public FhirPollSourceOptions FhirPoll { get; set; } = new();
    public OrthancChangesSourceOptions Orthanc { get; set; } = new();
    public QidoPollSourceOptions Qido { get; set; } = new();
}

/// <summary>A study is handed to the job store only after no new instances arrived for <see cref="QuietPeriod"/>.</summary>
public sealed class StabilityOptions
{
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often pending studies are checked for stability.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Backoff after a peer failed (first delay, doubling, capped).</summary>
public sealed class SourceRetryOptions
{
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The rest-hook endpoint the EHR's Subscription posts to; who may post is set in "Fhir:Notifications".</summary>
public sealed class FhirNotificationSourceOptions
{
    public bool Enabled { get; set; }
    public string Path { get; set; } = "/fhir/notifications";
    /// <summary>Requests a minute per remote address before 429 (the EHR sends one per event; a burst of studies fits).</summary>
    public int PermitsPerMinute { get; set; } = 600;
    public JobPriority DefaultPriority { get; set; } = JobPriority.Routine;
}

/// <summary>ImagingStudy polling (interval, overlap and filter in "Fhir:Polling").</summary>
public sealed class FhirPollSourceOptions
{
    public bool Enabled { get; set; }
    public JobPriority DefaultPriority { get; set; } = JobPriority.Routine;
}

/// <summary>Orthanc's /changes feed: StableStudy events (Orthanc's own StableAge decides stability).</summary>
public sealed class OrthancChangesSourceOptions
{
    public bool Enabled { get; set; }

    /// <summary>Orthanc's REST root, e.g. http://127.0.0.1:8042.</summary>
    public string? Url { get; set; }

    /// <summary>The DICOMweb base the pipeline reads these studies from, e.g. http://127.0.0.1:8042/dicom-web.</summary>
    public string? DicomWebUrl { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
    public int PageSize { get; set; } = 100;

    /// <summary>A first start reads from Orthanc's current end (false) or replays its whole change log (true).</summary>
    public bool StartFromBeginning { get; set; }

    public JobPriority DefaultPriority { get; set; } = JobPriority.Routine;
}

/// <summary>QIDO-RS polling, the safety net: studies whose StudyDate falls in the look-back window.</summary>
public sealed class QidoPollSourceOptions
{
    public bool Enabled { get; set; }

    /// <summary>The DICOMweb base, e.g. http://127.0.0.1:8042/dicom-web.</summary>
    public string? Url { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>StudyDate is a day, not a time: each poll looks this many days back from today.</summary>
    public int LookbackDays { get; set; } = 1;

    public int Limit { get; set; } = 500;
    public JobPriority DefaultPriority { get; set; } = JobPriority.Routine;
}
