using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Review.Drafts;

/// <summary>The worklist's filters; null means any.</summary>
public sealed record WorklistFilter(WorklistUrgency? Priority, ReviewStatus? Status)
{
    public static WorklistFilter Parse(string? priority, string? status) =>
        new(Enum.TryParse<WorklistUrgency>(priority, ignoreCase: true, out var p) ? p : null, ReviewStatusNames.Parse(status));
}

/// <summary>
/// The worklist order: stat > urgent > routine (the Task priority), then by arrival, oldest first. Rejected drafts
/// are listed apart, so the main list is what still needs or had a reading.
/// </summary>
public static class Worklist
{
    public static (IReadOnlyList<ReviewEntry> Main, IReadOnlyList<ReviewEntry> Rejected) Arrange(IEnumerable<ReviewEntry> entries, WorklistFilter filter)
    {
        var ordered = entries
            .Where(e => filter.Priority is null || e.Draft.Urgency == filter.Priority)
            .Where(e => filter.Status is null || e.State.Status == filter.Status)
            .OrderByDescending(e => e.Draft.Urgency)
            .ThenBy(e => e.ArrivedAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return (ordered.Where(e => e.State.Status != ReviewStatus.Rejected).ToList(),
            ordered.Where(e => e.State.Status == ReviewStatus.Rejected).ToList());
    }
}
