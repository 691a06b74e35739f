using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlavaRad.Worker.HealthChecks;

/// <summary>/health/ready's body: overall status and each check's status and coded description, no exception text.</summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
