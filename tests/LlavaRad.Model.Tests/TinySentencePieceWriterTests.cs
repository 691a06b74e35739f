using LlavaRad.Model.Tokenization;

namespace LlavaRad.Model.Tests;

public class TinySentencePieceWriterTests
{
    [Theory]
    [InlineData("The lungs are clear. No pleural effusion or pneumothorax.")]
    [InlineData("  two leading spaces and ___ de-identified\n\ttabs")]
    [InlineData("ünïcödé 肺 🫁 and bytes")]
    public void EncodeThenDecodeGivesTheTextBack(string text)
    {
        var tokenizer = TinyTokenizer.Create();
        var ids = tokenizer.Encode(text, addBos: true);
        Assert.Equal(1, ids[0]);
        Assert.All(ids, id => Assert.InRange(id, 0, 511));
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void FrequentWordsBecomeSinglePieces()
    {
        var tokenizer = TinyTokenizer.Create();
        Assert.Equal(["▁of", "▁the", "▁left"], tokenizer.Encode("of the left", addBos: false).Select(tokenizer.IdToPiece));
    }
}
