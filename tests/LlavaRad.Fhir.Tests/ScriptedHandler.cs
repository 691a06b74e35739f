using System.Net;

namespace LlavaRad.Fhir.Tests;

/// <summary>
/// The innermost handler of a test HttpClient: answers from a script and records what it was sent. A double for
/// the network below our own handlers, never a stand-in for FHIR semantics.
/// </summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, Task<HttpResponseMessage>>[] script) : HttpMessageHandler
{
    public List<(HttpMethod Method, string? Body, string? Authorization, DateTimeOffset At)> Received { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Received.Add((request.Method, body, request.Headers.Authorization?.ToString(), DateTimeOffset.UtcNow));
        var step = script[Math.Min(Received.Count - 1, script.Length - 1)];
        var response = await step(request).WaitAsync(cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Status(HttpStatusCode status, Action<HttpResponseMessage>? edit = null) => _ =>
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(status == HttpStatusCode.OK || status == HttpStatusCode.Created
                ? """{"resourceType":"Patient","id":"p1","meta":{"versionId":"1"}}"""
                : """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing"}]}""",
                System.Text.Encoding.UTF8, "application/fhir+json"),
        };
        edit?.Invoke(response);
        return Task.FromResult(response);
    };

    public static Func<HttpRequestMessage, Task<HttpResponseMessage>> Hang() => async _ =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan);
        throw new InvalidOperationException("unreachable");
    };
}
