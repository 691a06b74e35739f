using LlavaRad.Findings;
using LlavaRad.Findings.Evaluation;
using LlavaRad.Model;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Training;

/// <summary>Label F1 of one observation over the evaluated pairs (positive -> 1, as the paper's "rrg" binarisation).</summary>
public sealed record FindingF1(Observation Observation, double F1, int ReferencePositives, int GeneratedPositives);

public sealed record SyntheticEvaluationResult(IReadOnlyList<ReportPair> Pairs, double MicroF1, IReadOnlyList<FindingF1> PerFinding);

/// <summary>
/// Generates findings (greedy, as the paper evaluates) for held-out synthetic studies and scores them against the
/// studies' reference texts with the project's labeler. The image can be replaced (e.g. by a blank frame) to show
/// how much of the score comes from the image.
/// </summary>
public sealed class SyntheticEvaluation(FindingsLabeler labeler)
{
    public SyntheticEvaluationResult Evaluate(FindingsModel model, IReadOnlyList<SyntheticCase> cases, Func<PixelImage, PixelImage>? alterImage = null,
        Action<int>? progress = null)
    {
        var pairs = new List<ReportPair>();
        foreach (var c in cases)
        {
            var image = SyntheticImageReader.Read(c.Dicom);
            var result = model.Generate(alterImage?.Invoke(image) ?? image, indication: null, new GenerationOptions { MaxNewTokens = 160 });
            pairs.Add(new ReportPair(result.Text, c.FindingsText));
            progress?.Invoke(pairs.Count);
        }
        return Score(pairs);
    }

    public SyntheticEvaluationResult Score(IReadOnlyList<ReportPair> pairs)
    {
        var predicted = pairs.Select(p => Positives(p.Generated)).ToList();
        var reference = pairs.Select(p => Positives(p.Reference)).ToList();
        var all = ObservationNames.All.Select(o => (int)o).ToList();
        var perFinding = ObservationNames.All
            .Select(o => new FindingF1(o, LabelF1.Micro(predicted, reference, [(int)o]), reference.Count(r => r[(int)o]), predicted.Count(p => p[(int)o])))
            .Where(f => f.ReferencePositives + f.GeneratedPositives > 0)
            .ToList();
        return new SyntheticEvaluationResult(pairs, LabelF1.Micro(predicted, reference, all), perFinding);
    }

    private bool[] Positives(string text)
    {
        var labels = labeler.Label(text);
        return ObservationNames.All.Select(o => labels.StatusOf(o) == FindingStatus.Positive).ToArray();
    }

    /// <summary>A uniform mid-gray frame of the same size: no image information at all.</summary>
    public static PixelImage Blank(PixelImage image) => image with { Pixels = Enumerable.Repeat((byte)128, image.Pixels.Length).ToArray() };
}
