using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Sources;

namespace LlavaRad.Worker.Tests.Sources;

public class StudyStabilityGateTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    private static SourceTestKit Kit() => new(new StudySourcesOptions { Stability = new StabilityOptions { QuietPeriod = Quiet } });

    private static StudySubmission Study(string uid) =>
        new(uid, JobPriority.Urgent, new StudyOrigin(StudyOriginKinds.Fhir, "ImagingStudy/7"), "fhir-poll");

    [Fact]
    public async Task AStableStudyIsSubmittedOnceAndOnlyAfterTheQuietPeriod()
    {
        using var kit = Kit();
        var gate = kit.NewGate();
        await gate.ObserveAsync(Study("1.2.3"), 2, CancellationToken.None);

        kit.Clock.Advance(Quiet - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await gate.SubmitStableAsync(CancellationToken.None));
        kit.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await gate.SubmitStableAsync(CancellationToken.None));
        await gate.ObserveAsync(Study("1.2.3"), 2, CancellationToken.None);
        kit.Clock.Advance(Quiet);
        Assert.Equal(0, await gate.SubmitStableAsync(CancellationToken.None));

        var submitted = Assert.Single(kit.Submitter.Submissions);
        Assert.Equal(Study("1.2.3"), submitted);
    }

    [Fact]
    public async Task APendingStudyIsStillSubmittedAfterARestart()
    {
        using var kit = Kit();
        await kit.NewGate().ObserveAsync(Study("1.2.3"), 1, CancellationToken.None);

        var restarted = kit.NewGate(); // the first gate and its memory are gone
        kit.Clock.Advance(Quiet);
        await restarted.SubmitStableAsync(CancellationToken.None);

        Assert.Equal(1, kit.Submitter.CountFor("1.2.3"));
    }

    [Fact]
    public async Task AStudyTheStoreRefusedStaysPendingAndIsSubmittedWhenTheStoreIsBack()
    {
        using var kit = Kit();
        var gate = kit.NewGate();
        await gate.ObserveAsync(Study("1.2.3"), 1, CancellationToken.None);
        kit.Clock.Advance(Quiet);

        kit.Submitter.Failing = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.SubmitStableAsync(CancellationToken.None));
        kit.Submitter.Failing = false;
        await gate.SubmitStableAsync(CancellationToken.None);

        Assert.Equal(1, kit.Submitter.CountFor("1.2.3"));
        Assert.Equal(0, gate.PendingCount);
    }

    [Fact]
    public async Task APageOfStudiesIsObservedAtOnceAndSurvivesARestart()
    {
        using var kit = Kit();
        await kit.NewGate().ObserveAllAsync([(Study("1.1"), 1), (Study("1.2"), 2), (Study("1.3"), 3)], CancellationToken.None);

        var restarted = kit.NewGate();
        kit.Clock.Advance(Quiet);

        Assert.Equal(3, await restarted.SubmitStableAsync(CancellationToken.None));
        Assert.Equal(["1.1", "1.2", "1.3"], kit.Submitter.Submissions.Select(s => s.StudyInstanceUid).Order());
    }
}
