namespace LlavaRad.Worker.Jobs;

/// <summary>Where a job is in its life. Stored as lowercase text so operators can read the table.</summary>
public enum JobState
{
    Queued,
    Running,
    Retrying,
    Succeeded,
    Rejected,
    DeadLettered,
}

public enum JobPriority
{
    Routine = 0,
    Urgent = 1,
    Stat = 2,
}

public static class JobStateNames
{
    public static string ToText(this JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Retrying => "retrying",
        JobState.Succeeded => "succeeded",
        JobState.Rejected => "rejected",
        JobState.DeadLettered => "dead-lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static JobState Parse(string text) =>
        Enum.GetValues<JobState>().FirstOrDefault(s => s.ToText() == text, (JobState)(-1)) is var state && state >= 0
            ? state
            : throw new InvalidDataException($"unknown job state \"{text}\" in the job store");
}
