using System.Text.RegularExpressions;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Training;

/// <summary>
/// The tokenizer of the synthetic model: every word of the prompt template, the indications and the report corpus
/// becomes one SentencePiece token (other text still encodes, through characters and byte fallback). Short
/// sequences are most of what makes CPU training fast.
/// </summary>
public static partial class ReportVocabulary
{
    public static IReadOnlyList<string> Words(IEnumerable<string> texts)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (Match m in WordAfterSpace().Matches(" " + text))
                words.Add(m.Groups[1].Value);
        return words.ToList();
    }

    /// <summary>Writes tokenizer.model; returns its vocabulary size (pieces, rounded up to a multiple of 64).</summary>
    public static int WriteTokenizer(string path, IReadOnlyList<string> words)
    {
        var size = (TinySentencePieceWriter.PiecesNeeded(words) + 63) / 64 * 64;
        TinySentencePieceWriter.WriteWithWords(path, words, size);
        return size;
    }

    [GeneratedRegex(@"(?<=[\s])([A-Za-z]+)")]
    private static partial Regex WordAfterSpace();
}
