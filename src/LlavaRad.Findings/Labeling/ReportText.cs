using System.Text.RegularExpressions;

namespace LlavaRad.Findings.Labeling;

/// <summary>One sentence of a findings text: its words as the phrase lists are matched against.</summary>
internal sealed record Sentence(string Text, string[] Tokens);

/// <summary>Splits findings text into sentences and sentences into lower-case word tokens.</summary>
internal static partial class ReportText
{
    /// <summary>A sentence ends at . ! ? followed by space, or at a line break; "4.5 cm" stays whole.</summary>
    public static IEnumerable<Sentence> Sentences(string text) =>
        SentenceEnd().Split(text)
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .Select(s => new Sentence(s, Tokenize(s)));

    /// <summary>Words are runs of letters/digits; ';' and ':' are kept because they end a negation scope.</summary>
    public static string[] Tokenize(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();

    [GeneratedRegex(@"(?<=[.!?])\s+|[\r\n]+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[a-z0-9]+|[;:]")]
    private static partial Regex Word();
}
