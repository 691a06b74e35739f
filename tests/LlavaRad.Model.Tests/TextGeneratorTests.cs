using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>Generation behaviour on the built-in tiny model (random weights, tiny SentencePiece vocabulary).</summary>
public sealed class TextGeneratorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LlavaRadModel _model;
    private readonly SentencePieceTokenizer _tokenizer;
    private readonly Tensor _pixels;
    private readonly List<long> _prompt;

    public TextGeneratorTests()
    {
        TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 21);
        var directory = ModelDirectory.Open(_dir.Path);
        _model = LlavaRadModel.Load(directory, CPU);
        _tokenizer = SentencePieceTokenizer.Load(directory.TokenizerPath);
        var size = directory.Config.VisionConfig.ImageSize;
        _pixels = randn([1, 3, size, size], generator: new torch.Generator(5));
        _prompt = PromptTemplate.IdsFor(_tokenizer, "cough");
    }

    private TextGenerator Generator => new(_model, _tokenizer);
    private GenerationRequest Request => new(_pixels, _prompt);

    [Fact]
    public void SameSeedSamplesTheSameTokensAndAnotherSeedDiffers()
    {
        var options = new GenerationOptions { MaxNewTokens = 24, Temperature = 1.0, Seed = 7 };
        var a = Generator.Generate(Request, options);
        var b = Generator.Generate(Request, options);
        var c = Generator.Generate(Request, options with { Seed = 8 });
        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.NotEqual(a.TokenIds, c.TokenIds);
        Assert.NotEqual(Generator.Generate(Request, options with { Temperature = 0 }).TokenIds, a.TokenIds);
    }

    [Fact]
    public void TinyTopPKeepsOnlyTheMostLikelyTokenSoSamplingEqualsGreedy()
    {
        var greedy = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 16 });
        var nucleus = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 16, Temperature = 1.5, TopP = 1e-6, Seed = 3 });
        Assert.Equal(greedy.TokenIds, nucleus.TokenIds);
    }

    [Fact]
    public void LogprobsAreLogSoftmaxOfTheLogitsAtTheChosenToken()
    {
        var result = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 1 });
        using var _ = NewDisposeScope();
        var image = _model.EncodeImages(_pixels)[0];
        var embeds = _model.EmbedPrompt(_prompt, image).unsqueeze(0);
        using var cache = new KvCache(_model.Config.TextConfig, 1, embeds.shape[1], ScalarType.Float32, CPU);
        var logits = _model.Decoder.ForwardLast(embeds, arange(embeds.shape[1]).unsqueeze(0), cache, AttentionMask.Causal)[0].to(ScalarType.Float64);
        var expected = logits[result.TokenIds[0]].item<double>() - Math.Log(logits.exp().sum().item<double>());
        Assert.Equal(expected, result.Logprobs[0], 1e-4);
        Assert.True(result.Logprobs[0] <= 0);
    }

    [Fact]
    public void StreamedDeltasConcatenateToTheTextAndTheTextDecodesTheTokens()
    {
        var deltas = new List<string>();
        var result = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 48 }, t => deltas.Add(t.TextDelta));
        Assert.Equal(48, deltas.Count);
        Assert.Equal(result.Text, string.Concat(deltas));
        Assert.Equal(_tokenizer.Decode(result.TokenIds), result.Text);
        Assert.Equal(FinishReason.Length, result.FinishReason);
    }

    [Fact]
    public void StopStringEndsGenerationAndCutsTheTextBeforeIt()
    {
        var free = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 48 });
        Assert.True(free.Text.Length > 12, $"tiny model text too short for the test: \"{free.Text}\"");
        var stop = free.Text.Substring(8, 3);
        var deltas = new List<string>();
        var stopped = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 48, StopStrings = [stop] }, t => deltas.Add(t.TextDelta));
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(stopped.Text, string.Concat(deltas));
        Assert.True(stopped.TokenIds.Count < free.TokenIds.Count);
    }

    [Fact]
    public void GenerationEndsAtTheConfiguredEosToken()
    {
        var free = Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 10 });
        var eos = free.TokenIds[3];
        var first = free.TokenIds.ToList().IndexOf(eos);
        var config = _model.Config with { TextConfig = _model.Config.TextConfig with { EosTokenId = eos } };
        config.Save(Path.Combine(_dir.Path, ModelDirectory.ConfigFile));
        using var model = LlavaRadModel.Load(ModelDirectory.Open(_dir.Path), CPU);
        var result = new TextGenerator(model, _tokenizer).Generate(Request, new GenerationOptions { MaxNewTokens = 10 });
        Assert.Equal(FinishReason.Eos, result.FinishReason);
        Assert.Equal(free.TokenIds.Take(first + 1), result.TokenIds);
    }

    [Fact]
    public void LongGenerationHoldsAConstantNumberOfLiveTensorsAndLeaksNone()
    {
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var liveAt = new Dictionary<int, long>();
        var step = 0;
        Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 300, StopStrings = [] },
            _ => liveAt[++step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.Equal(300, step);
        Assert.Equal(liveAt[10], liveAt[300]); // the KV cache is preallocated; every step frees what it made
        Assert.Equal(before, after);
    }

    [Fact]
    public void PromptLongerThanTheContextIsRefusedBeforeRunning()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator.Generate(Request, new GenerationOptions { MaxNewTokens = 10_000 }));
        Assert.Contains("max_position_embeddings", error.Message);
    }

    public void Dispose()
    {
        _model.Dispose();
        _pixels.Dispose();
        _dir.Dispose();
    }
}
