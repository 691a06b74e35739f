using System.Text.RegularExpressions;
using LlavaRad.Model;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Training;

/// <summary>
/// The tokenizer of the synthetic model: every word of the prompt template, the indications and the report corpus
/// becomes one SentencePiece token (other text still encodes, through characters and byte fallback). Short
/// sequences are most of what makes CPU training fast.
/// </summary>
public static partial class ReportVocabulary
{
    /// <summary>
    /// The word list beside a trained model's config.json. The binary tokenizer.model is rebuilt from it (the
    /// builder is deterministic), so no tokenizer model file is ever committed.
    /// </summary>
    public const string WordsFile = "vocabulary.txt";

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

    /// <summary>Writes the word list and the tokenizer built from it; returns the vocabulary size.</summary>
    public static int WriteWithWordList(string modelDirectory, IReadOnlyList<string> words)
    {
        File.WriteAllLines(Path.Combine(modelDirectory, WordsFile), words);
        return WriteTokenizer(Path.Combine(modelDirectory, ModelDirectory.TokenizerFile), words);
    }

    /// <summary>
    /// Rebuilds tokenizer.model in a trained model directory from its word list, and checks that it has the
    /// vocabulary size the weights were trained with.
    /// </summary>
    public static void RestoreTokenizer(string modelDirectory)
    {
        var wordsPath = Path.Combine(modelDirectory, WordsFile);
        if (!File.Exists(wordsPath))
            throw new InvalidModelException(InvalidModelException.MissingFile, $"model directory {modelDirectory} has no {WordsFile} to rebuild its tokenizer from");
        var words = File.ReadAllLines(wordsPath).Where(w => w.Length > 0).ToList();
        var size = WriteTokenizer(Path.Combine(modelDirectory, ModelDirectory.TokenizerFile), words);
        var expected = ModelConfig.Load(Path.Combine(modelDirectory, ModelDirectory.ConfigFile)).TextConfig.VocabSize;
        if (size != expected)
            throw new InvalidModelException(InvalidModelException.BadTokenizer,
                $"{wordsPath} gives a vocabulary of {size} pieces, but the model was trained with {expected}");
    }

    [GeneratedRegex(@"(?<=[\s])([A-Za-z]+)")]
    private static partial Regex WordAfterSpace();
}
