using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Worker.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// The rest-hook endpoint: POST {path} (Backport bundles, pings, full resources) and PUT/POST {path}/ImagingStudy/{id}
/// (classic R4). Authentication, parsing and recovery are <see cref="SubscriptionNotificationHandler"/>'s; a
/// failure reading the study answers 503 so the EHR sends the notification again.
/// </summary>
public static class FhirNotificationEndpoint
{
    private const int MaxBodyBytes = 8 * 1024 * 1024;

    public static IEndpointRouteBuilder MapFhirNotifications(this IEndpointRouteBuilder endpoints)
    {
        // Read from configuration, not IOptions: validation belongs to start, with every other bad setting.
        var options = endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(StudySourcesOptions.Section)
            .Get<StudySourcesOptions>()?.FhirNotifications ?? new FhirNotificationSourceOptions();
        if (!options.Enabled) return endpoints;
        var path = options.Path.TrimEnd('/');
        endpoints.MapMethods(path, ["POST"], Handle);
        endpoints.MapMethods(path + "/{**resource}", ["POST", "PUT"], Handle);
        return endpoints;
    }

    private static async Task<IResult> Handle(HttpContext context, SubscriptionNotificationHandler handler, ILoggerFactory loggers,
        string? resource = null)
    {
        if (context.Request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        NotificationResponse response;
        try
        {
            response = await handler.HandleAsync(new NotificationRequest(context.Request.Method, resource, headers, body.ToArray()),
                context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = SourceFailures.Code(e);
            loggers.CreateLogger(typeof(FhirNotificationEndpoint)).LogWarning(
                "Notification accepted by auth but not processed: {Reason} ({ErrorType}); the sender should retry", reason, e.GetType().Name);
            return Results.Problem(title: reason, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (response.Outcome is null) return Results.StatusCode(response.StatusCode);
        var json = response.Outcome.ToJson();
        return Results.Content(json, "application/fhir+json", statusCode: response.StatusCode);
    }
}
