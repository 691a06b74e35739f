using System.Text;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Review.Drafts;
using static LlavaRad.Review.Pages.Html;

namespace LlavaRad.Review.Pages;

/// <summary>The worklist: filters, the ordered drafts, and the rejected drafts apart with their coded reasons.</summary>
internal static class WorklistPage
{
    public static string Render(IReadOnlyCollection<ReviewEntry> entries, WorklistFilter filter, DateTimeOffset now, TimeSpan refresh) =>
        Page("Worklist", $"""
            <h1>Worklist</h1>
            <form class="filters" method="get" action="{ReviewPaths.Worklist}" data-role="filters">
              <label>Priority {Select("priority", filter.Priority?.ToString().ToLowerInvariant(), ["stat", "urgent", "routine"])}</label>
              <label>Status {Select("status", filter.Status?.ToText(), Enum.GetValues<ReviewStatus>().Select(s => s.ToText()))}</label>
              <button type="submit">Filter</button>
            </form>
            <div id="worklist" data-refresh-ms="{(int)refresh.TotalMilliseconds}" data-rows-url="{E(RowsUrl(filter))}">
            {Lists(entries, filter, now)}
            </div>
            """, "worklist.js");

    /// <summary>What the page's polling swaps in: both lists, freshly ordered.</summary>
    public static string Lists(IReadOnlyCollection<ReviewEntry> entries, WorklistFilter filter, DateTimeOffset now)
    {
        var (main, rejected) = Worklist.Arrange(entries, filter);
        var html = new StringBuilder();
        html.Append("<table class=\"worklist\" data-role=\"worklist\"><thead><tr><th>Priority</th><th>Age</th><th>Study</th>")
            .Append("<th>Findings</th><th>Status</th></tr></thead><tbody>");
        foreach (var entry in main) html.Append(Row(entry, now, reason: false));
        if (main.Count == 0) html.Append("<tr><td colspan=\"5\" class=\"empty\">No drafts.</td></tr>");
        html.Append("</tbody></table><h2>Rejected</h2><table class=\"worklist rejected\" data-role=\"rejected\"><thead><tr>")
            .Append("<th>Priority</th><th>Age</th><th>Study</th><th>Findings</th><th>Reason</th></tr></thead><tbody>");
        foreach (var entry in rejected) html.Append(Row(entry, now, reason: true));
        if (rejected.Count == 0) html.Append("<tr><td colspan=\"5\" class=\"empty\">None.</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    private static string Row(ReviewEntry entry, DateTimeOffset now, bool reason)
    {
        var priority = Priority(entry.Draft.Urgency);
        var status = entry.State.Status.ToText();
        var chips = string.Concat(entry.Draft.Findings
            .Where(f => f.Certainty == FindingCertainty.Positive)
            .Select(f => $"<span class=\"chip\" data-finding=\"{E(f.Finding.Code)}\">{E(f.Finding.Display)}</span>"));
        var last = reason ? $"<td class=\"reason\" data-reason=\"{E(entry.State.Reason)}\">{E(entry.State.Reason)}</td>"
            : $"<td class=\"status {status}\">{E(status.Replace('-', ' '))}</td>";
        return $"""
            <tr class="entry" data-study-uid="{E(entry.Draft.Study.StudyInstanceUid)}" data-priority="{priority}" data-status="{status}" data-review-id="{entry.Id}">
            <td><span class="priority {priority}">{priority}</span></td><td>{Age(now - entry.ArrivedAt)}</td>
            <td><a href="{ReviewPaths.Study(entry.Id)}">{E(entry.StudyDescription)}</a></td><td>{chips}</td>{last}</tr>
            """;
    }

    public static string Priority(WorklistUrgency urgency) => urgency.ToString().ToLowerInvariant();

    private static string RowsUrl(WorklistFilter filter)
    {
        var query = new List<string>();
        if (filter.Priority is { } p) query.Add($"priority={Priority(p)}");
        if (filter.Status is { } s) query.Add($"status={s.ToText()}");
        return ReviewPaths.WorklistRows + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }

    private static string Select(string name, string? selected, IEnumerable<string> values) =>
        $"<select name=\"{name}\"><option value=\"\">any</option>" +
        string.Concat(values.Select(v => $"<option value=\"{v}\"{(v == selected ? " selected" : "")}>{v.Replace('-', ' ')}</option>")) +
        "</select>";
}
