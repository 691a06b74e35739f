using System.Diagnostics;
using LlavaRad.Contracts;
using Microsoft.Extensions.Configuration;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>How the deploy tests decide that a started service is ready, bounded in time.</summary>
public static class Readiness
{
    /// <summary>The worker's readiness path: exactly what the image HEALTHCHECK probes.</summary>
    public static string WorkerPath(IReadOnlyList<string> healthcheck) => healthcheck[2];

    /// <summary>
    /// Where this machine differs from a hospital's: the EHR is the real test FHIR server, which is open, so no
    /// SMART client key (a site credential the test does not mint) is asked for.
    /// </summary>
    public static Dictionary<string, string> SiteOverrides(PrivatePeers peers) => new()
    {
        ["Fhir:BaseUrl"] = peers.FhirUrl.ToString(),
        ["Fhir:Auth:Mode"] = "None",
    };

    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The worker's own view of the node (its InferenceNode settings, bound as the worker binds them).</summary>
    public static InferenceNodeClientOptions NodeClientOptions(IEnumerable<KeyValuePair<string, string>> environment, IEnumerable<string> arguments) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":"), e.Value)))
            .AddCommandLine(arguments.ToArray())
            .Build().GetSection(InferenceNodeClientOptions.Section).Get<InferenceNodeClientOptions>()
        ?? throw new InvalidOperationException("no InferenceNode settings for the worker");

    /// <summary>grpc.health.v1 SERVING for llavarad.v1.ReportGenerator, asked through the worker's own client settings.</summary>
    public static async Task AssertNodeServingAsync(InferenceNodeClientOptions options, params ServiceProcess[] processes)
    {
        using var client = new InferenceNodeClient(options);
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < NodeTimeout && processes.All(p => !p.HasExited))
            if (await client.WaitUntilServingAsync(TimeSpan.FromSeconds(2))) return;
        Assert.Fail($"the node never reported SERVING at {options.Address}\n{string.Join('\n', processes.Select(p => p.Log))}");
    }

    // /health/ready answers a JSON report with "status" and one entry per check; /healthz the bare status.
    private static string OverallStatus(string body) =>
        body.TrimStart().StartsWith('{') ? System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() ?? "" : body.Trim();

    /// <summary>HTTP 200 with "Healthy" (not Degraded: the worker reaches its node and its job store).</summary>
    public static async Task AssertWorkerHealthyAsync(Uri url, params ServiceProcess[] processes)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        var last = "no answer";
        while (stopwatch.Elapsed < WorkerTimeout && processes.All(p => !p.HasExited))
        {
            try
            {
                using var response = await http.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {body}";
                if (response.StatusCode == System.Net.HttpStatusCode.OK && OverallStatus(body) == "Healthy") return;
            }
            catch (HttpRequestException e) { last = e.Message; }
            await Task.Delay(200);
        }
        Assert.Fail($"the worker never became Healthy at {url} (last: {last})\n{string.Join('\n', processes.Select(p => p.Log))}");
    }
}
