namespace LlavaRad.Findings.Tests;

/// <summary>One hand-labelled sentence from a Corpus/*.tsv file; unlisted observations are blank.</summary>
public sealed record LabelledSentence(int Line, string Text, IReadOnlyDictionary<Observation, FindingStatus> Expected);

public static class LabelledCorpus
{
    /// <summary>The 13 mention-based observations (No Finding is a rule over them, tested on its own).</summary>
    public static readonly IReadOnlyList<Observation> Scored = ObservationNames.All.Where(o => o != Observation.NoFinding).ToList();

    private static readonly Dictionary<string, Observation> Codes = new()
    {
        ["ECM"] = Observation.EnlargedCardiomediastinum, ["CM"] = Observation.Cardiomegaly, ["OPA"] = Observation.LungOpacity,
        ["LES"] = Observation.LungLesion, ["EDE"] = Observation.Edema, ["CON"] = Observation.Consolidation,
        ["PNA"] = Observation.Pneumonia, ["ATE"] = Observation.Atelectasis, ["PTX"] = Observation.Pneumothorax,
        ["EFF"] = Observation.PleuralEffusion, ["PLO"] = Observation.PleuralOther, ["FRA"] = Observation.Fracture,
        ["DEV"] = Observation.SupportDevices,
    };

    /// <summary>The main corpus (the phrase lists were developed against it).</summary>
    public const string Main = "labelled-sentences.tsv";

    /// <summary>Written after the lists were frozen; never used to tune them.</summary>
    public const string HeldOut = "held-out-sentences.tsv";

    public static IReadOnlyList<LabelledSentence> Load(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Corpus", file);
        var sentences = new List<LabelledSentence>();
        foreach (var (line, number) in File.ReadAllLines(path).Select((l, i) => (l, i + 1)))
        {
            if (line.StartsWith('#') || line.Trim().Length == 0) continue;
            var columns = line.Split('\t');
            if (columns.Length != 2) throw new FormatException($"corpus line {number}: expected sentence<TAB>codes");
            var expected = new Dictionary<Observation, FindingStatus>();
            foreach (var code in columns[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                expected.Add(Codes[code[..^1]], code[^1] switch
                {
                    '+' => FindingStatus.Positive,
                    '-' => FindingStatus.Negative,
                    '?' => FindingStatus.Uncertain,
                    _ => throw new FormatException($"corpus line {number}: bad code {code}"),
                });
            sentences.Add(new LabelledSentence(number, columns[0], expected));
        }
        return sentences;
    }
}
