using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;

namespace LlavaRad.Worker.Tests.Sources;

public class StabilityTrackerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static StudySubmission Study(string uid = "1.2.3", JobPriority priority = JobPriority.Routine) =>
        new(uid, priority, new StudyOrigin(StudyOriginKinds.Fhir, "ImagingStudy/1"), "fhir-poll");

    [Fact]
    public void AStudyIsNotDueBeforeItsInstanceCountHeldStillForTheQuietPeriod()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(), 1, T0);

        Assert.Empty(tracker.Due(T0 + Quiet - TimeSpan.FromSeconds(1)));
        Assert.Single(tracker.Due(T0 + Quiet));
    }

    [Fact]
    public void ANewInstanceRestartsTheQuietPeriod()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(), 1, T0);
        tracker.Observe(Study(), 2, T0 + TimeSpan.FromSeconds(20));

        Assert.Empty(tracker.Due(T0 + Quiet));
        var due = Assert.Single(tracker.Due(T0 + TimeSpan.FromSeconds(20) + Quiet));
        Assert.Equal(2, due.InstanceCount);
    }

    [Fact]
    public void SeeingTheSameCountAgainDoesNotRestartTheQuietPeriod()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(), 3, T0);
        Assert.False(tracker.Observe(Study(), 3, T0 + TimeSpan.FromSeconds(25)));

        Assert.Single(tracker.Due(T0 + Quiet));
    }

    [Fact]
    public void ASubmittedStudySeenAgainWithTheSameCountIsNotPendingAgain()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(), 2, T0);
        tracker.MarkSubmitted(tracker.Due(T0 + Quiet).Single(), T0 + Quiet);

        Assert.False(tracker.Observe(Study(), 2, T0 + TimeSpan.FromMinutes(5)));
        Assert.Equal(0, tracker.PendingCount);
    }

    [Fact]
    public void InstancesArrivingAfterSubmissionMakeTheStudyPendingAgain()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(), 1, T0);
        tracker.MarkSubmitted(tracker.Due(T0 + Quiet).Single(), T0 + Quiet);

        Assert.True(tracker.Observe(Study(), 2, T0 + TimeSpan.FromMinutes(5)));
        Assert.Single(tracker.Due(T0 + TimeSpan.FromMinutes(5) + Quiet));
    }

    [Fact]
    public void AnInstanceArrivingWhileTheStudyWasBeingSubmittedKeepsItPending()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(), 1, T0);
        var due = tracker.Due(T0 + Quiet).Single();
        tracker.Observe(Study(), 2, T0 + Quiet); // arrives between Due and MarkSubmitted
        tracker.MarkSubmitted(due, T0 + Quiet);

        Assert.Equal(1, tracker.PendingCount);
    }

    [Fact]
    public void ASubmittedStudyIsForgottenAfterTheMemoryPeriodSoTheMemoryStaysBounded()
    {
        var tracker = new StabilityTracker(Quiet, submittedMemory: TimeSpan.FromDays(1));
        tracker.Observe(Study("1.2.3"), 1, T0);
        tracker.MarkSubmitted(tracker.Due(T0 + Quiet).Single(), T0 + Quiet);
        tracker.Observe(Study("4.5.6"), 1, T0 + TimeSpan.FromDays(2));
        tracker.MarkSubmitted(tracker.Due(T0 + TimeSpan.FromDays(2) + Quiet).Single(), T0 + TimeSpan.FromDays(2) + Quiet);

        Assert.True(tracker.Observe(Study("1.2.3"), 1, T0 + TimeSpan.FromDays(3)), "forgotten: seen as new");
        Assert.False(tracker.Observe(Study("4.5.6"), 1, T0 + TimeSpan.FromDays(2, 1)), "still remembered");
    }

    [Fact]
    public void TheHighestPriorityAnySourceReportedWins()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study(priority: JobPriority.Routine), 1, T0);
        tracker.Observe(Study(priority: JobPriority.Stat), 1, T0 + TimeSpan.FromSeconds(1));
        tracker.Observe(Study(priority: JobPriority.Urgent), 1, T0 + TimeSpan.FromSeconds(2));

        Assert.Equal(JobPriority.Stat, tracker.Due(T0 + Quiet).Single().Submission.Priority);
    }

    [Fact]
    public void PendingStudiesSurviveARoundTripThroughTheirSavedForm()
    {
        var tracker = new StabilityTracker(Quiet);
        tracker.Observe(Study("1.2.3", JobPriority.Urgent), 4, T0);
        tracker.Observe(Study("4.5.6"), 1, T0 + TimeSpan.FromSeconds(10));

        var restored = new StabilityTracker(Quiet);
        restored.Restore(tracker.Serialize());

        var due = restored.Due(T0 + TimeSpan.FromSeconds(10) + Quiet);
        Assert.Equal(["1.2.3", "4.5.6"], due.Select(d => d.Submission.StudyInstanceUid));
        Assert.Equal(JobPriority.Urgent, due[0].Submission.Priority);
        Assert.Equal(4, due[0].InstanceCount);
        Assert.Empty(restored.Due(T0 + Quiet - TimeSpan.FromSeconds(1)));
    }
}
