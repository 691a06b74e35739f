using LlavaRad.Fhir;
using LlavaRad.Imaging;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Sources;
using Microsoft.Extensions.Logging;

namespace LlavaRad.Worker.Tests.Sources;

public class PollingSourceTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(7, 60000)]
    [InlineData(200, 60000)]
    public void BackoffDoublesFromTheFirstDelayUpToTheCap(int failures, int expectedMilliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds),
            SourceFailures.Backoff(failures, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));

    [Fact]
    public void PeerFailuresKeepTheirOwnCodes()
    {
        Assert.Equal("dicomweb-timeout", SourceFailures.Code(new DicomWebException(DicomWebException.Timeout, "t")));
        Assert.Equal("fhir-server-error", SourceFailures.Code(new FhirStoreException(FhirStoreException.ServerError, "e")));
        Assert.Equal("orthanc-unreachable", SourceFailures.Code(new OrthancException(OrthancException.Unreachable, "u")));
        Assert.Equal("peer-unreachable", SourceFailures.Code(new HttpRequestException("refused")));
    }

    [Fact]
    public async Task ASourceWhosePeerFailsKeepsPollingAndRecovers()
    {
        using var kit = new SourceTestKit(new StudySourcesOptions
        {
            Retry = new SourceRetryOptions { FirstDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) },
        });
        var logs = new ListLogger();
        var source = new FlakySource(failures: 3, kit, logs);

        await source.StartAsync(CancellationToken.None);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); source.Polls < 6 && DateTime.UtcNow < deadline;) await Task.Delay(10);
        await source.StopAsync(CancellationToken.None);

        Assert.True(source.Polls >= 6, $"polled {source.Polls} times");
        Assert.Equal(3, logs.Lines.Count(l => l.Contains("Source flaky failed: peer-unreachable")));
        Assert.Single(logs.Lines, l => l.Contains("Source flaky recovered after 3 failed polls"));
    }

    private sealed class FlakySource(int failures, SourceTestKit kit, ILogger logger)
        : PollingSource(Microsoft.Extensions.Options.Options.Create(kit.Options), kit.Metrics, logger)
    {
        public int Polls;

        public override string Name => "flaky";

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(5);

        public override Task<bool> PollOnceAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref Polls) <= failures ? throw new HttpRequestException("connection refused") : Task.FromResult(false);
    }

    private sealed class ListLogger : ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
