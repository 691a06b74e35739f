using System.Text.Json.Nodes;
using LlavaRad.CheXbert.Tokenization;

namespace LlavaRad.CheXbert.Tests;

/// <summary>Against Goldens/tokenizer-goldens.jsonl, written by an independent Python WordPiece (Reference/).</summary>
public sealed class TokenizerParityTests
{
    private static readonly string Goldens = Path.Combine(AppContext.BaseDirectory, "Goldens");
    private static readonly CheXbertTextEncoder Encoder = new(BertVocabulary.Load(Path.Combine(Goldens, "vocab.txt")));

    private static List<(string Text, int[] Ids)> Cases() => File.ReadAllLines(Path.Combine(Goldens, "tokenizer-goldens.jsonl"))
        .Select(l => JsonNode.Parse(l)!)
        .Select(n => ((string)n["text"]!, n["ids"]!.AsArray().Select(i => (int)i!).ToArray()))
        .ToList();

    [Fact]
    public void GivesTheReferenceIdsForEveryStressString()
    {
        var cases = Cases();
        Assert.True(cases.Count >= 2000, $"only {cases.Count} golden strings");
        var wrong = cases.Where(c => !Encoder.Encode(c.Text).SequenceEqual(c.Ids)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} differ, first: {System.Text.Json.JsonSerializer.Serialize(wrong.FirstOrDefault().Text)} "
            + $"expected [{string.Join(",", wrong.FirstOrDefault().Ids ?? [])}] got [{string.Join(",", wrong.Count > 0 ? Encoder.Encode(wrong[0].Text) : [])}]");
    }

    [Fact]
    public void CutsLongReportsTo511IdsPlusSeparator()
    {
        var ids = Encoder.Encode(string.Join(" ", Enumerable.Repeat("lung", 2000)));
        Assert.Equal(CheXbertTextEncoder.MaxLength, ids.Length);
        Assert.Equal(Encoder.Vocabulary.Separator, ids[^1]);
        Assert.Equal(Encoder.Vocabulary.Classify, ids[0]);
    }

    [Fact]
    public void EncodesAnEmptyReportAsClassifyThenSeparator() =>
        Assert.Equal([Encoder.Vocabulary.Classify, Encoder.Vocabulary.Separator], Encoder.Encode(" \n\t "));

    [Fact]
    public void TurnsAWordOverOneHundredCodePointsIntoUnknown()
    {
        Assert.Equal(Encoder.Vocabulary.Unknown, Encoder.Encode(new string('a', 101))[1]);
        Assert.NotEqual(Encoder.Vocabulary.Unknown, Encoder.Encode(new string('a', 100))[1]);
    }

    [Fact]
    public void RefusesAVocabularyWithoutTheSpecialTokens()
    {
        var error = Assert.Throws<CheXbertException>(() => BertVocabulary.FromTokens(["[PAD]", "a", "b"]));
        Assert.Equal(CheXbertException.VocabularyInvalid, error.Code);
    }
}
