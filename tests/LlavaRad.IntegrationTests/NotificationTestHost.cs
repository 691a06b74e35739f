using System.Collections.Concurrent;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlavaRad.IntegrationTests;

/// <summary>
/// A minimal ASP.NET Core app on 127.0.0.1 that hosts our notification handler at /fhir-notify, the way the worker
/// will. POST {endpoint} and PUT {endpoint}/{Type}/{id} both reach the handler.
/// </summary>
public sealed class NotificationTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationTestHost(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<NotificationTestHost> StartAsync(SubscriptionNotificationHandler handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapMethods("/fhir-notify/{**resourcePath}", ["POST", "PUT"], async (HttpContext context, string? resourcePath) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var result = await handler.HandleAsync(
                new NotificationRequest(context.Request.Method, resourcePath, headers, body.ToArray()), context.RequestAborted);
            context.Response.StatusCode = result.StatusCode;
            if (result.Outcome is not null)
            {
                context.Response.ContentType = "application/fhir+json";
                await context.Response.WriteAsync(result.Outcome.ToJson());
            }
        });
        await app.StartAsync();
        var address = app.Urls.Single();
        return new NotificationTestHost(app, new Uri($"{address}/fhir-notify"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The worker's job queue stand-in for these tests: records what intake enqueued.</summary>
public sealed class RecordingStudyQueue : IStudyEventQueue
{
    public ConcurrentQueue<StudyEvent> Events { get; } = new();

    public ValueTask EnqueueAsync(StudyEvent studyEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(studyEvent);
        return ValueTask.CompletedTask;
    }

    public int CountFor(string imagingStudy) => Events.Count(e => e.ImagingStudy == imagingStudy);
}
