using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.Notifications;
using LlavaRad.Worker.Options;
using Microsoft.AspNetCore.RateLimiting;

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
        endpoints.MapMethods(path, ["POST"], Handle).RequireRateLimiting(NotificationRateLimit.PolicyName);
        endpoints.MapMethods(path + "/{**resource}", ["POST", "PUT"], Handle).RequireRateLimiting(NotificationRateLimit.PolicyName);
        return endpoints;
    }

    private static async Task<IResult> Handle(HttpContext context, SubscriptionNotificationHandler handler, NotificationAuthenticator authenticator,
        ILoggerFactory loggers, string? resource = null)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        // Who is asking is settled before a byte of the body is read (an HMAC signature needs the body: then the size
        // limit below still bounds what an unauthenticated sender can make the worker hold).
        if (authenticator.IsAuthenticByHeaders(headers) == false)
        {
            NotificationLog.Refused(loggers.CreateLogger(typeof(FhirNotificationEndpoint)), "notification-unauthenticated");
            return Answer(NotificationResponse.Refuse(401, Hl7.Fhir.Model.OperationOutcome.IssueType.Login, "Notification not authenticated"));
        }
        if (context.Request.ContentLength > MaxBodyBytes || await ReadBoundedAsync(context) is not { } body)
        {
            NotificationLog.Refused(loggers.CreateLogger(typeof(FhirNotificationEndpoint)), "notification-too-large");
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        NotificationResponse response;
        try
        {
            response = await handler.HandleAsync(new NotificationRequest(context.Request.Method, resource, headers, body),
                context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = SourceFailures.Code(e);
            loggers.CreateLogger(typeof(FhirNotificationEndpoint)).LogWarning(
                "Notification accepted by auth but not processed: {Reason} ({ErrorType}); the sender should retry", reason, e.GetType().Name);
            return Results.Problem(title: reason, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return Answer(response);
    }

    private static IResult Answer(NotificationResponse response) => response.Outcome is null
        ? Results.StatusCode(response.StatusCode)
        : Results.Content(response.Outcome.ToJson(), "application/fhir+json", statusCode: response.StatusCode);

    /// <summary>The body, chunked or not, up to <see cref="MaxBodyBytes"/>; null past it (nothing more is read).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxBodyBytes) return null;
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }
}
