using LlavaRad.Fhir.WriteBack;
using LlavaRad.Review.Drafts;

namespace LlavaRad.Review.Tests;

public sealed class WorklistOrderTests : IDisposable
{
    private readonly TempDirectory _dir = new("llavarad-review");
    private readonly FolderReviewArchive _archive;
    private readonly SampleDrafts _drafts;
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public WorklistOrderTests()
    {
        _archive = new FolderReviewArchive(_dir.File("archive"));
        _drafts = new SampleDrafts(_dir.File("drafts"), _archive);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StatBeforeUrgentBeforeRoutineThenOldestFirstAndRejectedApart()
    {
        var routineOld = await _drafts.AddAsync("1.2.3.1", WorklistUrgency.Routine, T0, "No acute findings.");
        var statNew = await _drafts.AddAsync("1.2.3.2", WorklistUrgency.Stat, T0.AddMinutes(30), "Large pneumothorax.");
        var urgent = await _drafts.AddAsync("1.2.3.3", WorklistUrgency.Urgent, T0.AddMinutes(10), "Pleural effusion.");
        var statOld = await _drafts.AddAsync("1.2.3.4", WorklistUrgency.Stat, T0.AddMinutes(5), "Pneumothorax.");
        var rejected = await _drafts.AddAsync("1.2.3.5", WorklistUrgency.Stat, T0, "Text.");
        Assert.True(await _archive.TransitionAsync(rejected.Id, ReviewStatus.AwaitingReview,
            new ReviewState(ReviewStatus.Rejected, T0, "r", "image-quality")));

        var (main, apart) = Worklist.Arrange(await _archive.ListAsync(), new WorklistFilter(null, null));

        Assert.Equal([statOld.Id, statNew.Id, urgent.Id, routineOld.Id], main.Select(e => e.Id));
        Assert.Equal("image-quality", Assert.Single(apart).State.Reason);
    }

    [Fact]
    public async Task FiltersByPriorityAndStatus()
    {
        await _drafts.AddAsync("1.2.4.1", WorklistUrgency.Routine, T0, "a");
        var urgent = await _drafts.AddAsync("1.2.4.2", WorklistUrgency.Urgent, T0, "b");

        var (byPriority, _) = Worklist.Arrange(await _archive.ListAsync(), WorklistFilter.Parse("urgent", null));
        var (signed, _) = Worklist.Arrange(await _archive.ListAsync(), WorklistFilter.Parse(null, "signed"));

        Assert.Equal(urgent.Id, Assert.Single(byPriority).Id);
        Assert.Empty(signed);
    }

    [Fact]
    public async Task TransitionRefusesAStaleExpectedStatus()
    {
        var entry = await _drafts.AddAsync("1.2.5.1", WorklistUrgency.Routine, T0, "a");

        Assert.True(await _archive.TransitionAsync(entry.Id, ReviewStatus.AwaitingReview, new ReviewState(ReviewStatus.InReview, T0)));
        Assert.False(await _archive.TransitionAsync(entry.Id, ReviewStatus.AwaitingReview, new ReviewState(ReviewStatus.InReview, T0)));
        Assert.Null(await _archive.FindAsync("../../etc/passwd"));
    }
}
