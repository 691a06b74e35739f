using System.Reflection;

namespace LlavaRad.Findings.Labeling;

/// <summary>A mention phrase: which observation it names (null: a look-alike to ignore, e.g. "pericardial effusion").</summary>
internal sealed record MentionPhrase(Phrase Phrase, Observation? Observation, bool StatesAbsence);

/// <summary>The labeler's vocabulary, read from the data files in Phrases/ (embedded in this assembly).</summary>
public sealed class PhraseLists
{
    internal IReadOnlyList<MentionPhrase> Mentions { get; private init; } = [];
    internal IReadOnlyList<Phrase> NegationBefore { get; private init; } = [];
    internal IReadOnlyList<Phrase> NegationAfter { get; private init; } = [];
    internal IReadOnlyList<Phrase> UncertaintyBefore { get; private init; } = [];
    internal IReadOnlyList<Phrase> UncertaintyAfter { get; private init; } = [];
    internal IReadOnlyList<Phrase> UncertaintyOverNegationBefore { get; private init; } = [];
    internal IReadOnlyList<Phrase> UncertaintyOverNegationAfter { get; private init; } = [];
    internal IReadOnlyList<Phrase> PseudoCues { get; private init; } = [];
    internal IReadOnlyList<Phrase> ScopeBreaks { get; private init; } = [];
    internal IReadOnlyList<Phrase> PostScopeStops { get; private init; } = [];

    /// <summary>The lists shipped with this library.</summary>
    public static PhraseLists Default { get; } = Load(ReadEmbedded);

    /// <summary>Lists from a folder holding files with the same names as Phrases/ (for a site's own vocabulary).</summary>
    public static PhraseLists FromDirectory(string directory) => Load(name => File.ReadAllText(Path.Combine(directory, name)));

    private static PhraseLists Load(Func<string, string> read) => new()
    {
        Mentions = [.. MentionLines(read, "mentions.tsv", statesAbsence: false), .. MentionLines(read, "absence-statements.tsv", statesAbsence: true)],
        NegationBefore = Phrases(read, "negation-before.txt"),
        NegationAfter = Phrases(read, "negation-after.txt"),
        UncertaintyBefore = Phrases(read, "uncertainty-before.txt"),
        UncertaintyAfter = Phrases(read, "uncertainty-after.txt"),
        UncertaintyOverNegationBefore = Phrases(read, "uncertainty-over-negation-before.txt"),
        UncertaintyOverNegationAfter = Phrases(read, "uncertainty-over-negation-after.txt"),
        PseudoCues = Phrases(read, "pseudo-cues.txt"),
        ScopeBreaks = Phrases(read, "scope-breaks.txt"),
        PostScopeStops = Phrases(read, "post-scope-stops.txt"),
    };

    private static Phrase[] Phrases(Func<string, string> read, string file) =>
        Lines(read(file)).Select(line => new Phrase(line.Text)).ToArray();

    /// <summary>"Observation name TAB phrase"; the name "Ignore" marks look-alikes.</summary>
    private static IEnumerable<MentionPhrase> MentionLines(Func<string, string> read, string file, bool statesAbsence)
    {
        foreach (var (number, text) in Lines(read(file)))
        {
            var columns = text.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (columns.Length != 2) throw new FormatException($"{file} line {number}: expected \"observation<TAB>phrase\"");
            Observation? observation = columns[0] == "Ignore" ? null
                : ObservationNames.TryParse(columns[0], out var parsed) ? parsed
                : throw new FormatException($"{file} line {number}: unknown observation \"{columns[0]}\"");
            yield return new MentionPhrase(new Phrase(columns[1]), observation, statesAbsence);
        }
    }

    private static IEnumerable<(int Number, string Text)> Lines(string content) =>
        content.Split('\n')
            .Select((line, index) => (Number: index + 1, Text: line.Trim()))
            .Where(l => l.Text.Length > 0 && !l.Text.StartsWith('#'));

    private static string ReadEmbedded(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Phrases/{file}")
            ?? throw new FileNotFoundException($"embedded phrase list Phrases/{file} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
