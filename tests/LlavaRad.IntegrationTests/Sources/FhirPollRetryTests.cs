using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>A poll whose hand-over failed part-way is retried by the next poll: no study is lost to the poller's memory.</summary>
[Collection(PeersCollection.Name)]
public sealed class FhirPollRetryTests(Peers peers) : IDisposable
{
    private readonly HttpClient _fhirHttp = new() { BaseAddress = peers.FhirUrl };

    [Fact]
    public async Task AStudyWhoseHandOverFailedIsEnqueuedByTheNextPoll()
    {
        var store = new FhirStore(_fhirHttp);
        var sample = await FreshSampleStudy.LoadAsync(store);
        var queue = new FailingOnceQueue(sample.ImagingStudyReference);
        var poller = new ImagingStudyPoller(store, new InMemoryPollCursorStore(), queue,
            Options.Create(new PollingOptions { InitialLookback = TimeSpan.FromMinutes(10), Overlap = TimeSpan.FromSeconds(30) }),
            TimeProvider.System, NullLogger<ImagingStudyPoller>.Instance);

        await Assert.ThrowsAsync<IOException>(() => poller.PollOnceAsync());
        await poller.PollOnceAsync();

        Assert.Equal(1, queue.Delivered.Count(e => e.ImagingStudy == sample.ImagingStudyReference));
    }

    /// <summary>Our own IStudyEventQueue seam, failing the first hand-over of one study like a job store that blinked.</summary>
    private sealed class FailingOnceQueue(string failFor) : IStudyEventQueue
    {
        private bool _failed;

        public List<StudyEvent> Delivered { get; } = [];

        public ValueTask EnqueueAsync(StudyEvent studyEvent, CancellationToken cancellationToken)
        {
            if (studyEvent.ImagingStudy == failFor && !_failed)
            {
                _failed = true;
                throw new IOException("job store blinked (test)");
            }
            Delivered.Add(studyEvent);
            return ValueTask.CompletedTask;
        }
    }

    public void Dispose() => _fhirHttp.Dispose();
}
