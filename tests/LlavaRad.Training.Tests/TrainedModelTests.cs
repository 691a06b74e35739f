using Xunit.Abstractions;
using LlavaRad.Findings;
using LlavaRad.Model;
using LlavaRad.Model.Training;
using LlavaRad.Training.Synthetic;
using TorchSharp;

namespace LlavaRad.Training.Tests;

/// <summary>
/// The committed model (models/tiny-synthetic-cxr) on held-out synthetic studies from a seed neither training nor the
/// manifest's evaluation used: its findings must match the images, and must stop matching when the image path is cut.
/// </summary>
public sealed class TrainedModelTests(ITestOutputHelper output)
{
    private const int HeldOutSeed = 4242, Cases = 50;
    private static readonly Lazy<List<SyntheticCase>> HeldOut =
        new(() => Enumerable.Range(0, Cases).Select(i => new SyntheticCaseGenerator(HeldOutSeed).Generate(i)).ToList());

    /// <summary>The trained model on the real images, shared by the tests that compare against it.</summary>
    private static readonly Lazy<SyntheticEvaluationResult> Real = new(() =>
    {
        using var model = FindingsModel.Load(ModelPath(), torch.CPU);
        return new SyntheticEvaluation(new FindingsLabeler()).Evaluate(model, HeldOut.Value);
    });

    // The committed folder has no tokenizer.model; tests load a copy with it rebuilt, as the demo does.
    private static readonly Lazy<TempDirectory> Servable = new(() =>
    {
        var copy = new TempDirectory();
        TrainedModelCopy.To(CommittedPath(), copy.Path);
        return copy;
    });

    public static string ModelPath() => Servable.Value.Path;

    private static string CommittedPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "tiny-synthetic-cxr");
            if (File.Exists(Path.Combine(candidate, ModelDirectory.ConfigFile))) return candidate;
        }
        throw new DirectoryNotFoundException("models/tiny-synthetic-cxr not found above the test directory");
    }

    [Fact]
    public void AWordListThatDoesNotMatchTheTrainedVocabularyIsRefusedWithACodedReason()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(CommittedPath(), ModelDirectory.ConfigFile), dir.File(ModelDirectory.ConfigFile));
        File.WriteAllLines(dir.File(ReportVocabulary.WordsFile), ["only", "three", "words"]);
        var error = Assert.Throws<InvalidModelException>(() => ReportVocabulary.RestoreTokenizer(dir.Path));
        Assert.Equal(InvalidModelException.BadTokenizer, error.Code);
        File.Delete(dir.File(ReportVocabulary.WordsFile));
        Assert.Equal(InvalidModelException.MissingFile, Assert.Throws<InvalidModelException>(() => ReportVocabulary.RestoreTokenizer(dir.Path)).Code);
    }

    [Fact]
    public void HeldOutLabelMicroF1IsAtLeast0Point8()
    {
        var result = Real.Value;
        output.WriteLine(SyntheticTrainingRun.EvaluationTable(result));
        Assert.True(result.MicroF1 >= 0.8, SyntheticTrainingRun.EvaluationTable(result));
    }

    [Fact]
    public void ABlankImageMakesTheFindingsClearlyWorse()
    {
        using var model = FindingsModel.Load(ModelPath(), torch.CPU);
        var real = Real.Value;
        var blank = new SyntheticEvaluation(new FindingsLabeler()).Evaluate(model, HeldOut.Value, SyntheticEvaluation.Blank);
        output.WriteLine($"real image {real.MicroF1:F3}; blank frame {blank.MicroF1:F3}\n{SyntheticTrainingRun.EvaluationTable(blank)}");
        Assert.True(blank.MicroF1 < real.MicroF1 - 0.25, $"real {real.MicroF1:F3}, blank {blank.MicroF1:F3}");
    }

    [Fact]
    public void ZeroingTheProjectorMakesTheFindingsClearlyWorse()
    {
        using var dir = new TempDirectory();
        var source = ModelPath();
        foreach (var file in new[] { ModelDirectory.ConfigFile, ModelDirectory.TokenizerFile })
            File.Copy(Path.Combine(source, file), dir.File(file));
        using (var parameters = TrainableParameters.Initialize(ModelConfig.Load(dir.File(ModelDirectory.ConfigFile)), seed: 0))
        {
            parameters.LoadWeights(Path.Combine(source, ModelDirectory.SingleWeightsFile));
            using (torch.no_grad())
                foreach (var p in parameters.Under("model.mm_projector.")) p.zero_();
            parameters.SaveWeights(dir.File(ModelDirectory.SingleWeightsFile));
        }
        using var zeroed = FindingsModel.Load(dir.Path, torch.CPU);
        var real = Real.Value;
        var cut = new SyntheticEvaluation(new FindingsLabeler()).Evaluate(zeroed, HeldOut.Value);
        output.WriteLine($"trained {real.MicroF1:F3}; projector zeroed {cut.MicroF1:F3}\n{SyntheticTrainingRun.EvaluationTable(cut)}");
        Assert.True(cut.MicroF1 < real.MicroF1 - 0.25, $"real {real.MicroF1:F3}, projector zeroed {cut.MicroF1:F3}");
    }

    [Fact]
    public void AnEffusionInTheImageIsReportedAndItsAbsenceIsStated()
    {
        using var model = FindingsModel.Load(ModelPath(), torch.CPU);
        var generator = new SyntheticCaseGenerator(HeldOutSeed + 1);
        var labeler = new FindingsLabeler();
        var effusion = generator.Generate(0, SyntheticFindings.Normal with { Effusion = Side.Both });
        var normal = generator.Generate(0, SyntheticFindings.Normal);
        var withText = model.Generate(SyntheticImageReader.Read(effusion.Dicom), null).Text;
        var withoutText = model.Generate(SyntheticImageReader.Read(normal.Dicom), null).Text;
        output.WriteLine($"bilateral effusion image: {withText}\nnormal image: {withoutText}");
        Assert.True(labeler.Label(withText).StatusOf(Observation.PleuralEffusion) == FindingStatus.Positive, withText);
        Assert.True(labeler.Label(withoutText).StatusOf(Observation.PleuralEffusion) == FindingStatus.Negative, withoutText);
        Assert.True(labeler.Label(withoutText).StatusOf(Observation.Pneumothorax) == FindingStatus.Negative, withoutText);
    }
}
