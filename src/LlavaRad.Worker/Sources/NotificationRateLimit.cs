using System.Threading.RateLimiting;
using LlavaRad.Worker.Options;
using Microsoft.AspNetCore.RateLimiting;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// A fixed window of <c>Sources:FhirNotifications:PermitsPerMinute</c> requests per remote address on the
/// notification endpoint (ASP.NET Core's rate limiter); past it, 429 without reading the request. It slows a
/// sender guessing the secret, and bounds what one sender can make the worker do.
/// </summary>
public static class NotificationRateLimit
{
    public const string PolicyName = "fhir-notifications";

    public static IServiceCollection AddNotificationRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetSection(StudySourcesOptions.Section).Get<StudySourcesOptions>()?.FhirNotifications.PermitsPerMinute
            ?? new FhirNotificationSourceOptions().PermitsPerMinute;
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PolicyName, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
    }
}
