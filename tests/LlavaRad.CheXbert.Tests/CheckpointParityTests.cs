using System.Text.Json.Nodes;
using LlavaRad.CheXbert.Checkpoints;
using LlavaRad.CheXbert.Tokenization;

namespace LlavaRad.CheXbert.Tests;

/// <summary>
/// The tiny random checkpoints in both torch.save formats and the logits of a plain-torch reference, all written by
/// Reference/make_checkpoint_goldens.py (Debian's python3-torch).
/// </summary>
public sealed class CheckpointParityTests
{
    private static readonly string Goldens = Path.Combine(AppContext.BaseDirectory, "Goldens");
    private static readonly JsonNode Golden = JsonNode.Parse(File.ReadAllText(Path.Combine(Goldens, "checkpoint-goldens.json")))!;
    private static readonly string[] Texts = Golden["texts"]!.AsArray().Select(t => (string)t!).ToArray();

    private static CheXbertLabeler Labeler(string format) =>
        CheXbertLabeler.Load(Path.Combine(Goldens, $"chexbert-tiny-{format}.pth"), Path.Combine(Goldens, "vocab.txt"));

    [Theory]
    [InlineData("legacy", 1)]
    [InlineData("legacy", 5)]
    [InlineData("zip", 4)]
    [InlineData("zip", 16)]
    public void GivesTheReferenceLogitsAndArgmaxInEitherFormat(string format, int batchSize)
    {
        var results = Labeler(format).Label(Texts, batchSize);
        var expected = Golden[format]!.AsArray();
        Assert.Equal(Texts.Length, results.Count);
        for (var r = 0; r < Texts.Length; r++)
            for (var head = 0; head < 14; head++)
            {
                var want = expected[r]![head]!.AsArray().Select(v => (double)v!).ToArray();
                var got = results[r].Logits[head];
                Assert.Equal(want.Length, got.Length);
                for (var c = 0; c < want.Length; c++)
                    Assert.True(Math.Abs(want[c] - got[c]) <= 1e-4, $"{format} report {r} head {head} class {c}: {got[c]} vs {want[c]}");
                Assert.Equal(Array.IndexOf(want, want.Max()), results[r].Classes[head]);
            }
    }

    [Fact]
    public void ReadsTheIdsTheReferenceFed()
    {
        var encoder = new CheXbertTextEncoder(BertVocabulary.Load(Path.Combine(Goldens, "vocab.txt")));
        var ids = Golden["ids"]!.AsArray().Select(row => row!.AsArray().Select(i => (int)i!).ToArray()).ToArray();
        for (var r = 0; r < Texts.Length; r++) Assert.Equal(ids[r], encoder.Encode(Texts[r]));
    }

    [Fact]
    public void RefusesACheckpointWithAHeadOfTheWrongShape()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"chexbert-broken-{Guid.NewGuid():N}.pth");
        try
        {
            // Renaming head 13's weight (2 classes) to a 4-class slot's name keeps the file valid but the shapes wrong.
            var bytes = File.ReadAllBytes(Path.Combine(Goldens, "chexbert-tiny-legacy.pth"));
            var from = "module.linear_heads.13.weight"u8.ToArray();
            var to = "module.linear_heads.12.weight"u8.ToArray();
            var at = bytes.AsSpan().IndexOf(from);
            Assert.True(at >= 0);
            to.CopyTo(bytes, at);
            File.WriteAllBytes(broken, bytes);
            var error = Assert.Throws<CheXbertException>(() => CheXbertCheckpoint.Load(broken));
            Assert.Equal(CheXbertException.WeightsMismatch, error.Code);
        }
        finally { File.Delete(broken); }
    }

    [Fact]
    public void RefusesAFileThatIsNoCheckpoint()
    {
        var error = Assert.Throws<CheXbertException>(() => CheXbertCheckpoint.Load(Path.Combine(Goldens, "vocab.txt")));
        Assert.Equal(CheXbertException.CheckpointInvalid, error.Code);
    }
}
