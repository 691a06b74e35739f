using System.Net;
using System.Text.Json;

namespace LlavaRad.Worker.Tests.Telemetry;

public class HealthEndpointTests
{
    [Fact]
    public async Task LivenessAnswersEvenWhenEveryPeerIsDown()
    {
        await using var worker = await RunningWorker.StartAsync($"--Fhir:BaseUrl=http://127.0.0.1:{ClosedPort.Next()}/fhir");

        using var response = await worker.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadinessIsUnhealthyNamingTheFhirServerThatIsDown()
    {
        await using var worker = await RunningWorker.StartAsync($"--Fhir:BaseUrl=http://127.0.0.1:{ClosedPort.Next()}/fhir");

        using var response = await worker.Http.GetAsync("/health/ready");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", checks.GetProperty("fhir").GetProperty("status").GetString());
        Assert.Equal("fhir-unreachable", checks.GetProperty("fhir").GetProperty("description").GetString());
        Assert.Equal("Healthy", checks.GetProperty("job-store").GetProperty("status").GetString());
        Assert.Equal("Degraded", checks.GetProperty("inference-node").GetProperty("status").GetString());
        Assert.False(checks.TryGetProperty("self", out _)); // the liveness check is not a readiness one
    }

    [Fact]
    public async Task ReadinessNamesTheDicomWebServerThatIsDown()
    {
        var port = ClosedPort.Next();
        await using var worker = await RunningWorker.StartAsync("--Sources:Qido:Enabled=true", $"--Sources:Qido:Url=http://127.0.0.1:{port}/dicom-web");

        using var response = await worker.Http.GetAsync("/health/ready");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("dicomweb-unreachable",
            report.RootElement.GetProperty("checks").GetProperty("dicomweb").GetProperty("description").GetString());
    }

    [Fact]
    public async Task ReadinessNamesNoPeerAddressOrVersionUnlessDetailsAreOn()
    {
        var port = ClosedPort.Next();
        await using var worker = await RunningWorker.StartAsync($"--Fhir:BaseUrl=http://127.0.0.1:{port}/fhir");

        using var response = await worker.Http.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(body);
        Assert.All(report.RootElement.GetProperty("checks").EnumerateObject(), check =>
            Assert.True(check.Value.GetProperty("description").ValueKind == JsonValueKind.Null
                || System.Text.RegularExpressions.Regex.IsMatch(check.Value.GetProperty("description").GetString()!, "^[a-z0-9-]+$")));
    }

    [Fact]
    public async Task WithOnlyTheEmbeddedStoreAndNoNodeTheWorkerIsReadyButDegraded()
    {
        await using var worker = await RunningWorker.StartAsync();

        using var response = await worker.Http.GetAsync("/health/ready");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", report.RootElement.GetProperty("status").GetString());
    }
}
