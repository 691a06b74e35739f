using System.Net;
using System.Net.Http.Headers;

namespace LlavaRad.Inference.Tests;

/// <summary>
/// Each route answers only on the listener it belongs to, whatever Host header the client sends: /metrics and the
/// probes only on the observability listener, gRPC only on the gRPC listener.
/// </summary>
public sealed class ListenerScopeTests
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task ObservabilityRoutesAreNotServedOnTheGrpcPortEvenWithTheirHostHeader(string path)
    {
        var port = ClosedPort.Next();
        await using var node = await RunningNode.StartServingTinyModelAsync($"--Inference:ObservabilityUrl=http://127.0.0.1:{port}");
        // The gRPC port speaks only prior-knowledge HTTP/2 without TLS.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = $"127.0.0.1:{port}";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/llavarad.v1.ReportGenerator/Generate")]
    [InlineData("/grpc.health.v1.Health/Check")]
    [InlineData("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")]
    public async Task GrpcIsNotServedOnTheObservabilityPort(string path)
    {
        var port = ClosedPort.Next();
        await using var node = await RunningNode.StartServingTinyModelAsync($"--Inference:ObservabilityUrl=http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(new byte[5]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.Host = node.Address.Authority;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
