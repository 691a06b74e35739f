using System.Globalization;
using System.Text;

namespace LlavaRad.CheXbert.Tokenization;

/// <summary>
/// Unicode NFD per code point, from the embedded canonical-decompositions.tsv (see make_decompositions.py): this
/// build has no ICU (InvariantGlobalization), so string.Normalize cannot decompose non-ASCII text.
/// Canonical reordering of combining marks is not done: the tokenizer drops the marks right after.
/// </summary>
internal static class CanonicalDecomposition
{
    private static readonly Dictionary<int, int[]> Table = Load();

    public static void AppendTo(StringBuilder output, Rune rune)
    {
        var c = rune.Value;
        if (c is >= 0xAC00 and <= 0xD7A3) { AppendHangul(output, c - 0xAC00); return; }
        if (!Table.TryGetValue(c, out var parts)) { output.Append(rune.ToString()); return; }
        foreach (var part in parts) output.Append(char.ConvertFromUtf32(part));
    }

    // Unicode §3.12: a precomposed syllable is L + V (+ T) jamo.
    private static void AppendHangul(StringBuilder output, int index)
    {
        output.Append((char)(0x1100 + index / (21 * 28))).Append((char)(0x1161 + index % (21 * 28) / 28));
        if (index % 28 != 0) output.Append((char)(0x11A7 + index % 28));
    }

    private static Dictionary<int, int[]> Load()
    {
        using var stream = typeof(CanonicalDecomposition).Assembly.GetManifestResourceStream("Tokenization/canonical-decompositions.tsv")!;
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, int[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#')) continue;
            var (code, parts) = (line[..line.IndexOf('\t')], line[(line.IndexOf('\t') + 1)..]);
            table[Hex(code)] = parts.Split(' ').Select(Hex).ToArray();
        }
        return table;
    }

    private static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
