using System.Text;
using System.Text.Json;
using LlavaRad.Model.Tokenization;

namespace LlavaRad.Model.Tests;

/// <summary>
/// Our BPE encoder against sentencepiece 0.1.97 (Golden/tokenizer-stress.jsonl, made by make_golden.py) with the
/// real LLaMA tokenizer.model from ../shared; skipped with a message where that file is absent.
/// </summary>
public class SentencePieceTokenizerTests
{
    private static readonly Lazy<SentencePieceTokenizer?> Llama = new(() =>
        GoldenData.LlamaTokenizer() is { } path ? SentencePieceTokenizer.Load(path) : null);

    private static SentencePieceTokenizer Tokenizer => Llama.Value!; // only [LlamaTokenizerFact]s use it

    private static IEnumerable<(string Text, int[] Ids, string Decoded)> Stress() =>
        File.ReadLines(GoldenData.File("tokenizer-stress.jsonl")).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("text").GetString()!, root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("decoded").GetString()!);
        }).ToList();

    [LlamaTokenizerFact]
    public void IdsEqualSentencepieceOnThousandsOfStressStrings()
    {
        var tokenizer = Tokenizer;
        var cases = Stress().ToList();
        var wrong = cases.Where(c => !tokenizer.Encode(c.Text, addBos: false).SequenceEqual(c.Ids)).ToList();
        Assert.True(cases.Count >= 3000, "the golden file should hold the generated stress strings");
        Assert.True(wrong.Count == 0, $"{wrong.Count}/{cases.Count} differ, first: {JsonSerializer.Serialize(wrong.FirstOrDefault().Text)}");
    }

    [LlamaTokenizerFact]
    public void DecodeEqualsSentencepieceOnTheStressStrings()
    {
        var tokenizer = Tokenizer;
        var wrong = Stress().Where(c => tokenizer.Decode(c.Ids) != c.Decoded).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} decode differently, first: {JsonSerializer.Serialize(wrong.FirstOrDefault().Text)}");
    }

    [LlamaTokenizerFact]
    public void EmptyStringWithBosIsJustBos()
    {
        Assert.Equal([1], Tokenizer.Encode("", addBos: true));
        Assert.Empty(Tokenizer.Encode("", addBos: false));
    }

    [LlamaTokenizerFact]
    public void RunsOfThreeIdenticalSymbolsMergeLeftmostFirst()
    {
        // The case Microsoft.ML.Tokenizers gets wrong: "▁▁▁" must become ▁▁ + ▁ (leftmost merge first).
        var stress = Stress().First(c => c.Text == "  two leading spaces");
        Assert.Equal(stress.Ids, Tokenizer.Encode("  two leading spaces", addBos: false));
        Assert.Equal("▁▁", Tokenizer.IdToPiece(Tokenizer.Encode("  two", addBos: false)[0]));
    }

    [LlamaTokenizerFact]
    public void StreamingNeverEmitsHalfACharacterAndKeepsLeadingSpaces()
    {
        var tokenizer = Tokenizer;
        foreach (var (text, ids, decoded) in Stress().Where(c => c.Text.Any(ch => ch > 0x7F) || c.Text.Contains(' ')).Take(500))
        {
            var stream = new StreamingDetokenizer(tokenizer);
            var deltas = ids.Select(stream.Push).Append(stream.Flush()).ToList();
            Assert.Equal(decoded, string.Concat(deltas));
            Assert.DoesNotContain(deltas, d => d.Length > 0 && char.IsHighSurrogate(d[^1]));
            if (!decoded.Contains('\uFFFD')) Assert.DoesNotContain(deltas, d => d.Contains('\uFFFD'));
        }
    }

    [LlamaTokenizerFact]
    public void ByteFallbackSpellsAnEmojiInItsUtf8Bytes()
    {
        var ids = Tokenizer.Encode("🫁", addBos: false);
        var bytes = Encoding.UTF8.GetBytes("🫁");
        Assert.Equal(bytes.Select(b => $"<0x{b:X2}>"), ids.Skip(ids.Count - bytes.Length).Select(Tokenizer.IdToPiece));
    }

    [Fact]
    public void AFileThatIsNotASentencePieceModelIsACodedError()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), [0x0a, 0xff, 0xff, 0xff, 0x7f]);
        var error = Assert.Throws<InvalidModelException>(() => SentencePieceTokenizer.Load(dir.File("tokenizer.model")));
        Assert.Equal(InvalidModelException.BadTokenizer, error.Code);
        Assert.Contains(dir.File("tokenizer.model"), error.Message);
    }
}
