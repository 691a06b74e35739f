using TorchSharp.PyBridge;

namespace LlavaRad.Model.Tests;

public class TinyModelWriterTests
{
    [Fact]
    public void WritesEveryCanonicalTensorWithItsShape()
    {
        using var dir = new TempDirectory();
        TinyModelWriter.Write(dir.Path, TinyModelWriter.DefaultConfig, seed: 1);

        var tensors = Safetensors.LoadStateDict(dir.File("model.safetensors"));
        try
        {
            // Default tiny config: vocab 512, text width 64, 2 layers, 4 heads of 16, 2 KV heads, FFN 172;
            // vision 64 px / 16 px patches = 16 patches, width 48, 3 blocks, FFN 192.
            Assert.Equal([512L, 64], tensors["model.embed_tokens.weight"].shape);
            Assert.Equal([32L, 64], tensors["model.layers.1.self_attn.k_proj.weight"].shape);
            Assert.Equal([64L, 172], tensors["model.layers.0.mlp.down_proj.weight"].shape);
            Assert.Equal([64L, 48], tensors["model.mm_projector.0.weight"].shape);
            Assert.Equal([1L, 17, 48], tensors["model.vision_tower.pos_embed"].shape);
            Assert.Equal([48L, 3, 16, 16], tensors["model.vision_tower.patch_embed.proj.weight"].shape);
            Assert.Equal([144L, 48], tensors["model.vision_tower.blocks.2.attn.qkv.weight"].shape);
            Assert.Equal(2 * 9 + 3 + 4 + 4 + 3 * 14 + 2, tensors.Count);
            Assert.Equal(1f, tensors["model.norm.weight"].mean().item<float>());
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [Fact]
    public void WritesATokenizerWithTheConfigsVocabularySoTheDemoCanDecode()
    {
        using var dir = new TempDirectory();
        TinyModelWriter.Write(dir.Path, TinyModelWriter.DefaultConfig, seed: 1);
        var tokenizer = LlavaRad.Model.Tokenization.SentencePieceTokenizer.Load(dir.File("tokenizer.model"));
        Assert.Equal(TinyModelWriter.DefaultConfig.TextConfig.VocabSize, tokenizer.VocabSize);
        Assert.Equal("no acute process", tokenizer.Decode(tokenizer.Encode("no acute process", addBos: true)));
    }

    [Fact]
    public void SameSeedGivesByteIdenticalWeights()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        TinyModelWriter.Write(a.Path, TinyModelWriter.DefaultConfig, seed: 3);
        TinyModelWriter.Write(b.Path, TinyModelWriter.DefaultConfig, seed: 3);
        Assert.Equal(ExternalTool.Sha256Sum(a.File("model.safetensors")), ExternalTool.Sha256Sum(b.File("model.safetensors")));
    }
}
