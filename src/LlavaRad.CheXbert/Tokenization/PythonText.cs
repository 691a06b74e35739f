using System.Globalization;
using System.Text;

namespace LlavaRad.CheXbert.Tokenization;

/// <summary>The bits of Python's str semantics the reference tokenizer relies on, per code point (not UTF-16 unit).</summary>
internal static class PythonText
{
    /// <summary>Python's str.isspace (and so re's \s and str.split()): bidi class WS, B or S, or category Zs.</summary>
    public static bool IsSpace(int c) => c is >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20 or 0x85 or 0xA0 or 0x1680
        or >= 0x2000 and <= 0x200A or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    public static UnicodeCategory Category(int c) => Rune.GetUnicodeCategory(new Rune(c));

    /// <summary>str.strip(), then every run of \s becomes one space (CheXbert's bert_tokenizer text preparation).</summary>
    public static string CollapseSpaces(string text)
    {
        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsSpace(rune.Value)) { pendingSpace = result.Length > 0; continue; }
            if (pendingSpace) result.Append(' ');
            pendingSpace = false;
            result.Append(rune.ToString());
        }
        return result.ToString();
    }

    /// <summary>
    /// str.lower(): .NET's invariant simple mapping plus the one unconditional full mapping that differs
    /// (U+0130 -> "i" + U+0307). Python's context-dependent final sigma is not reproduced (see README).
    /// </summary>
    public static string Lower(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            if (rune.Value == 0x130) result.Append("i\u0307");
            else result.Append(Rune.ToLowerInvariant(rune).ToString());
        return result.ToString();
    }
}
