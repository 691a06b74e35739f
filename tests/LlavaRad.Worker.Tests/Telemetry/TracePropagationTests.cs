using System.Net;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.Worker.Tests.Telemetry;

public class TracePropagationTests
{
    [Fact]
    public async Task AWorkerSpanIsRecordedAndItsTraceTravelsInTheHeadersOfTheCallsMadeInsideIt()
    {
        var port = ClosedPort.Next();
        using var peer = new HttpListener();
        peer.Prefixes.Add($"http://127.0.0.1:{port}/");
        peer.Start();
        var received = AnswerOneAsync(peer);
        await using var worker = await RunningWorker.StartAsync();
        var http = worker.App.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        string traceId;
        using (var job = WorkerActivity.Source.StartActivity("job"))
        {
            Assert.NotNull(job); // null would mean no tracer listens to the worker's source
            traceId = job.TraceId.ToHexString();
            (await http.GetAsync($"http://127.0.0.1:{port}/fhir/metadata")).Dispose();
        }

        var traceparent = await received;
        Assert.NotNull(traceparent);
        Assert.Equal(traceId, traceparent.Split('-')[1]);
    }

    private static async Task<string?> AnswerOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        var traceparent = context.Request.Headers["traceparent"];
        context.Response.StatusCode = 200;
        context.Response.Close();
        return traceparent;
    }
}
