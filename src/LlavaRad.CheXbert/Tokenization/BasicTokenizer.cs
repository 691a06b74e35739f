using System.Globalization;
using System.Text;

namespace LlavaRad.CheXbert.Tokenization;

/// <summary>
/// transformers' BasicTokenizer for an uncased vocabulary (what CheXbert was trained with): drop NUL, U+FFFD and
/// control characters, map whitespace to spaces, put spaces around CJK ideographs (one code point each, including
/// those outside the BMP), split on whitespace, lower-case, strip accents (NFD minus Mn), split off punctuation.
/// </summary>
public static class BasicTokenizer
{
    public static List<string> Tokenize(string text)
    {
        var spaced = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (c is 0 or 0xFFFD || IsControl(c)) continue;
            if (IsWhitespace(c)) spaced.Append(' ');
            else if (IsCjk(c)) spaced.Append(' ').Append(rune.ToString()).Append(' ');
            else spaced.Append(rune.ToString());
        }
        var tokens = new List<string>();
        foreach (var word in SplitOnPythonSpace(spaced.ToString()))
            SplitOnPunctuation(StripAccents(PythonText.Lower(word)), tokens);
        return tokens;
    }

    // transformers' _is_whitespace: the four ASCII ones, or category Zs.
    private static bool IsWhitespace(int c) => c is ' ' or '\t' or '\n' or '\r' || PythonText.Category(c) == UnicodeCategory.SpaceSeparator;

    // transformers' _is_control: any category C* except \t \n \r.
    private static bool IsControl(int c) => c is not ('\t' or '\n' or '\r') && PythonText.Category(c) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    // ASCII symbols count as punctuation too ("$", "^", "`"), as in BERT.
    private static bool IsPunctuation(int c) => c is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || PythonText.Category(c) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    // BERT's CJK Unified Ideographs blocks (not Hangul, Hiragana or Katakana).
    private static bool IsCjk(int c) => c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
        or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF
        or >= 0x2F800 and <= 0x2FA1F;

    // str.split(): any \s run separates; the spaces above are among them.
    private static IEnumerable<string> SplitOnPythonSpace(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!PythonText.IsSpace(rune.Value)) { word.Append(rune.ToString()); continue; }
            if (word.Length > 0) yield return word.ToString();
            word.Clear();
        }
        if (word.Length > 0) yield return word.ToString();
    }

    private static string StripAccents(string word)
    {
        var result = new StringBuilder(word.Length);
        var decomposed = new StringBuilder(word.Length);
        foreach (var rune in word.EnumerateRunes()) CanonicalDecomposition.AppendTo(decomposed, rune);
        foreach (var rune in decomposed.ToString().EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) result.Append(rune.ToString());
        return result.ToString();
    }

    private static void SplitOnPunctuation(string word, List<string> tokens)
    {
        var current = new StringBuilder();
        foreach (var rune in word.EnumerateRunes())
        {
            if (!IsPunctuation(rune.Value)) { current.Append(rune.ToString()); continue; }
            if (current.Length > 0) tokens.Add(current.ToString());
            current.Clear();
            tokens.Add(rune.ToString());
        }
        if (current.Length > 0) tokens.Add(current.ToString());
    }
}
