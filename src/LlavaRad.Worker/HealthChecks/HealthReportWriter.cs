using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>
/// /health/ready's body: the overall status and each check's status, plus the coded reason of a check that is not
/// healthy (e.g. "fhir-unreachable"). Nothing else: no peer URLs, software versions or exception texts, which tell
/// a caller on the network what to attack. <c>Health:Details=true</c> adds each check's description for diagnosis.
/// </summary>
public static partial class HealthReportWriter
{
    public const string DetailsSetting = "Health:Details";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var details = context.RequestServices.GetRequiredService<IConfiguration>().GetValue<bool>(DetailsSetting);
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = Shown(e.Value, details) }),
        }));
    }

    private static string? Shown(HealthReportEntry entry, bool details) =>
        details ? entry.Description
        : entry.Status != HealthStatus.Healthy && entry.Description?.Split(':')[0].Trim() is { } code && CodedReason().IsMatch(code) ? code
        : null;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CodedReason();
}
