using System.Diagnostics;
using System.Net;
using System.Text;

namespace LlavaRad.Cli.Tests;

/// <summary>
/// `llavarad demo --review URL`: after drafting, the review app serves the drafts on the loopback URL, announces
/// itself with a `review: URL` line, and stops cleanly on SIGTERM.
/// </summary>
[Collection(EmbeddedWorkerCollection.Name)]
public sealed class DemoReviewTests : IDisposable
{
    private readonly TempDirectory _out = new();

    [Fact]
    public async Task TheReviewAppServesTheDraftsAfterTheDemoAndStopsOnSigterm()
    {
        var log = new StringBuilder();
        using var demo = CliProcess.Start(Path.Combine(AppContext.BaseDirectory, "llavarad.dll"), log, "demo", "--out", _out.Path, "--review", "http://127.0.0.1:0");
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(10); // the whole demo on a loaded 2-core machine
            string? line;
            while ((line = Lines(log).FirstOrDefault(l => l.StartsWith("review: ", StringComparison.Ordinal))) is null)
            {
                Assert.False(demo.HasExited, $"demo ended before serving the review app:\n{Read(log)}");
                Assert.True(DateTime.UtcNow < deadline, $"no review line within 10 min:\n{Read(log)}");
                await Task.Delay(250);
            }
            var url = new Uri(line["review: ".Length..].Split(' ')[0]);
            Assert.True(url.IsLoopback, line);

            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var response = await http.GetAsync(url);
            // Not signed in yet: the worklist sends the browser to the sign-in page (local single-user mode).
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK,
                $"{(int)response.StatusCode} from {url}");
            var drafts = Directory.GetFiles(Path.Combine(_out.Path, DemoCommand.DraftFolder), "*.json").Length;
            Assert.True(drafts > 0, "the demo wrote no drafts");
            Assert.Equal(drafts, Directory.GetDirectories(Path.Combine(_out.Path, EmbeddedWorker.ReviewArchiveFolder)).Length);

            using (var stop = Process.Start("kill", ["-TERM", demo.Id.ToString()])) await stop.WaitForExitAsync();
            Assert.True(demo.WaitForExit(TimeSpan.FromMinutes(2)), $"demo --review did not stop on SIGTERM:\n{Read(log)}");
            demo.WaitForExit();
            Assert.True(demo.ExitCode == CliApp.Ok, $"exit {demo.ExitCode}:\n{Read(log)}");
        }
        finally
        {
            if (!demo.HasExited) demo.Kill(entireProcessTree: true);
        }
    }

    private static string Read(StringBuilder log) { lock (log) return log.ToString(); }

    private static string[] Lines(StringBuilder log) => Read(log).Split('\n', StringSplitOptions.TrimEntries);

    public void Dispose() => _out.Dispose();
}
