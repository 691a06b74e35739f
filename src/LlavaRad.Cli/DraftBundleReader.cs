using System.Text;
using System.Text.Json;

namespace LlavaRad.Cli;

/// <summary>
/// Reads back what a local draft bundle says: the findings text (the DiagnosticReport's plain-text form, title line
/// dropped), its coded findings (contained Observations) and the review Task's priority.
/// </summary>
public static class DraftBundleReader
{
    public sealed record Draft(string FindingsText, IReadOnlyList<(string Finding, string Certainty)> Findings, string? Priority);

    public static Draft Read(string bundlePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(bundlePath));
        var resources = document.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        var report = resources.Single(r => r.GetProperty("resourceType").GetString() == "DiagnosticReport");
        var text = report.GetProperty("presentedForm").EnumerateArray()
            .Where(a => a.GetProperty("contentType").GetString()!.StartsWith("text/plain", StringComparison.Ordinal))
            .Select(a => Encoding.UTF8.GetString(Convert.FromBase64String(a.GetProperty("data").GetString()!)))
            .First();
        var body = text.Split("\n\n", 2) is [_, var rest] ? rest : text; // "title\n\nfindings"
        var findings = report.TryGetProperty("contained", out var contained)
            ? contained.EnumerateArray().Select(o => (Display(o.GetProperty("code")), o.TryGetProperty("valueCodeableConcept", out var v) ? Display(v) : "-")).ToList()
            : [];
        var task = resources.FirstOrDefault(r => r.GetProperty("resourceType").GetString() == "Task");
        var priority = task.ValueKind == JsonValueKind.Object && task.TryGetProperty("priority", out var p) ? p.GetString() : null;
        return new Draft(body.Trim(), findings, priority);
    }

    private static string Display(JsonElement concept) =>
        concept.TryGetProperty("text", out var text) ? text.GetString()!
        : concept.GetProperty("coding")[0] is var coding && coding.TryGetProperty("display", out var display) ? display.GetString()!
        : coding.GetProperty("code").GetString()!;
}
