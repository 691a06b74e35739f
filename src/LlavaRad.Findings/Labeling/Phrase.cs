namespace LlavaRad.Findings.Labeling;

/// <summary>
/// A phrase from a phrase list, as tokens. "*" stands for a gap of up to <see cref="MaxGap"/> words, so
/// "heart * enlarged" matches "heart is mildly enlarged" (and "heart is not enlarged", whose "not" is then a cue).
/// </summary>
internal sealed class Phrase
{
    public const int MaxGap = 4;

    private readonly string[] _parts;

    public Phrase(string text)
    {
        Text = text;
        _parts = text.Split('*').SelectMany((words, i) => i == 0 ? ReportText.Tokenize(words) : ["*", .. ReportText.Tokenize(words)]).ToArray();
        if (_parts.Length == 0 || _parts[0] == "*" || _parts[^1] == "*")
            throw new FormatException($"phrase \"{text}\" is empty or starts/ends with a gap");
    }

    public string Text { get; }

    /// <summary>Length of the match starting at <paramref name="start"/> (gaps included), or 0.</summary>
    /// <param name="blocked">Tokens a match may not use, also not inside a gap (scope breaks, consumed cues).</param>
    public int MatchAt(string[] tokens, int start, Func<int, bool> blocked) => Match(tokens, start, 0, blocked);

    private int Match(string[] tokens, int position, int part, Func<int, bool> blocked)
    {
        if (part == _parts.Length) return 0;
        if (_parts[part] == "*")
        {
            for (var gap = 0; gap <= MaxGap; gap++)
            {
                if (gap > 0 && (position + gap - 1 >= tokens.Length || blocked(position + gap - 1))) return 0;
                var rest = Match(tokens, position + gap, part + 1, blocked);
                if (rest > 0) return gap + rest;
            }
            return 0;
        }
        if (position >= tokens.Length || blocked(position) || tokens[position] != _parts[part]) return 0;
        if (part == _parts.Length - 1) return 1;
        var tail = Match(tokens, position + 1, part + 1, blocked);
        return tail > 0 ? 1 + tail : 0;
    }
}
