using System.Net;
using System.Text;
using LlavaRad.Worker.Sources;
using LlavaRad.Worker.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.Worker.Tests.Sources;

public class NotificationEndpointTests
{
    private const string Secret = "Bearer test-secret";

    private static Task<RunningWorker> StartAsync(bool enabled = true, int permitsPerMinute = 600) => RunningWorker.StartAsync(
        $"--Sources:FhirNotifications:Enabled={enabled}", $"--Fhir:BaseUrl=http://127.0.0.1:{ClosedPort.Next()}/fhir",
        $"--Fhir:Notifications:ExpectedAuthorization={Secret}", "--Fhir:Retry:MaxAttempts=1",
        $"--Sources:FhirNotifications:PermitsPerMinute={permitsPerMinute}");

    /// <summary>A body sent chunked (no Content-Length), as the probe sent it to get past the length check.</summary>
    private static HttpRequestMessage Chunked(string? authorization, int bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/notifications")
        {
            Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(new string(' ', bytes)))),
        };
        request.Headers.TransferEncodingChunked = true;
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIsAnswered413()
    {
        await using var worker = await StartAsync();

        using var response = await worker.Http.SendAsync(Chunked(Secret, 10 * 1024 * 1024));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AnUnauthenticatedLargeBodyIsAnswered401()
    {
        await using var worker = await StartAsync();

        using var response = await worker.Http.SendAsync(Chunked("Bearer wrong", 10 * 1024 * 1024));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RepeatedWrongSecretsFromOneSourceAreRateLimited()
    {
        await using var worker = await StartAsync(permitsPerMinute: 3);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await worker.Http.SendAsync(Notification("Bearer guess-" + i));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    private static HttpRequestMessage Notification(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/fhir/notifications/ImagingStudy/abc")
        {
            Content = new StringContent("""{"resourceType":"ImagingStudy","id":"abc"}""", Encoding.UTF8, "application/fhir+json"),
        };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    [Fact]
    public async Task WhenTheFhirServerCannotBeReadTheNotificationIsAnswered503SoTheSenderRetries()
    {
        await using var worker = await StartAsync();

        using var response = await worker.Http.SendAsync(Notification(Secret));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("fhir-unreachable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithoutTheHeaderTheAnswerIs401BeforeAnyRead()
    {
        await using var worker = await StartAsync();

        using var response = await worker.Http.SendAsync(Notification(null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(((RecordingStudySubmitter)worker.App.Services.GetRequiredService<IStudySubmitter>()).Submissions);
    }

    [Fact]
    public async Task ADisabledEndpointDoesNotExist()
    {
        await using var worker = await StartAsync(enabled: false);

        using var response = await worker.Http.SendAsync(Notification(Secret));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
