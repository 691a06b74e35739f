using LlavaRad.Worker.Jobs;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// A study's priority: the higher of what its order asks (ServiceRequest.priority) and what its encounter implies
/// (an emergency encounter is urgent); when neither says anything, the source's default.
/// </summary>
public static class StudyPriorities
{
    /// <summary>FHIR request-priority: routine &lt; urgent &lt; asap &lt; stat. With three levels, asap shares stat's:
    /// ranking it with urgent would put it level with something it outranks.</summary>
    public static JobPriority? FromOrder(string? requestPriority) => requestPriority?.Trim().ToLowerInvariant() switch
    {
        "stat" or "asap" => JobPriority.Stat,
        "urgent" => JobPriority.Urgent,
        "routine" => JobPriority.Routine,
        _ => null,
    };

    /// <summary>v3 ActCode encounter class: EMER (emergency) is urgent; the others say nothing about urgency.</summary>
    public static JobPriority? FromEncounterClass(string? actCode) =>
        string.Equals(actCode?.Trim(), "EMER", StringComparison.OrdinalIgnoreCase) ? JobPriority.Urgent : null;

    public static JobPriority Decide(string? orderPriority, string? encounterClass, JobPriority sourceDefault)
    {
        var fromOrder = FromOrder(orderPriority);
        var fromEncounter = FromEncounterClass(encounterClass);
        if (fromOrder is null && fromEncounter is null) return sourceDefault;
        return (JobPriority)Math.Max((int)(fromOrder ?? JobPriority.Routine), (int)(fromEncounter ?? JobPriority.Routine));
    }
}
