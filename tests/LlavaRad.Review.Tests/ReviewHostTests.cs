using System.Net;

namespace LlavaRad.Review.Tests;

/// <summary>The entry point `llavarad demo --review URL` uses: serves on loopback, reports its URL, stops when cancelled.</summary>
public sealed class ReviewHostTests
{
    [Fact]
    public async Task ServesOnTheReportedLoopbackUrlUntilCancelled()
    {
        using var dir = new TempDirectory("llavarad-review-host");
        await using var host = await ReviewHost.StartAsync(new ReviewHostSettings(dir.File("archive"), dir.File("out"), new Uri("http://127.0.0.1:0")));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var stop = new CancellationTokenSource();

        var served = await http.GetAsync(new Uri(host.Url, "login"));
        var running = host.RunUntilCancelledAsync(stop.Token);
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("127.0.0.1", host.Url.Host);
        Assert.NotEqual(0, host.Url.Port);
        Assert.EndsWith("/review/", host.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(new Uri(host.Url, "login")));
    }

    [Fact]
    public async Task RefusesANonLoopbackUrl()
    {
        using var dir = new TempDirectory("llavarad-review-host");
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ReviewHost.StartAsync(new ReviewHostSettings(dir.File("a"), dir.File("o"), new Uri("http://0.0.0.0:0"))));
    }
}
