using LlavaRad.Findings;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Training.Tests;

/// <summary>The reference texts must say what the images show, in words the project's labeler reads the same way.</summary>
public sealed class FindingsTextTests
{
    private readonly FindingsLabeler _labeler = new();

    [Fact]
    public void TheLabelerReadsBackExactlyTheGeneratedFindingsFromEveryPhrasing()
    {
        var random = new Random(5);
        for (var i = 0; i < 400; i++)
        {
            var findings = FindingsSampler.Draw(random);
            var text = FindingsTextWriter.Write(findings, (Severity)random.Next(3), random);
            var labels = _labeler.Label(text);
            bool Positive(Observation o) => labels.StatusOf(o) == FindingStatus.Positive;

            Assert.True(findings.Cardiomegaly == Positive(Observation.Cardiomegaly), text);
            Assert.True((findings.Effusion != Side.None) == Positive(Observation.PleuralEffusion), text);
            Assert.True((findings.Pneumothorax != Side.None) == Positive(Observation.Pneumothorax), text);
            Assert.True((findings.Consolidation != ConsolidationSite.None) == Positive(Observation.Consolidation), text);
            Assert.True((findings.Device != SupportDevice.None) == Positive(Observation.SupportDevices), text);
            Assert.True(findings.IsNormal == Positive(Observation.NoFinding), text);
            var others = ObservationNames.All.Except([Observation.Cardiomegaly, Observation.PleuralEffusion, Observation.Pneumothorax,
                Observation.Consolidation, Observation.SupportDevices, Observation.NoFinding]);
            Assert.DoesNotContain(others, o => Positive(o) || labels.StatusOf(o) == FindingStatus.Uncertain);
        }
    }

    [Fact]
    public void AbsentFindingsOfInterestAreStatedAsPertinentNegatives()
    {
        var random = new Random(9);
        var text = FindingsTextWriter.Write(SyntheticFindings.Normal, Severity.Small, random);
        var labels = _labeler.Label(text);
        Assert.Equal(FindingStatus.Negative, labels.StatusOf(Observation.PleuralEffusion));
        Assert.Equal(FindingStatus.Negative, labels.StatusOf(Observation.Pneumothorax));
        Assert.Equal(FindingStatus.Negative, labels.StatusOf(Observation.Consolidation));
    }

    [Fact]
    public void TheSameFindingsArePhrasedInSeveralWays()
    {
        var random = new Random(1);
        var findings = SyntheticFindings.Normal with { Cardiomegaly = true, Effusion = Side.Left };
        var texts = Enumerable.Range(0, 60).Select(_ => FindingsTextWriter.Write(findings, Severity.Moderate, random)).Distinct().Count();
        Assert.True(texts >= 10, $"only {texts} distinct texts");
    }

    [Fact]
    public void TheSideOfAnEffusionAndAPneumothoraxIsNamed()
    {
        var random = new Random(2);
        var text = FindingsTextWriter.Write(SyntheticFindings.Normal with { Effusion = Side.Right, Pneumothorax = Side.Left }, Severity.Large, random);
        Assert.Matches("(?i)right[^.]*effusion", text);
        Assert.Matches("(?i)left[^.]*pneumothorax", text);
    }
}
