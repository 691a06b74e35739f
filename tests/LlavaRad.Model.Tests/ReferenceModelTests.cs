using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>
/// Our modules against the PyTorch reference of Golden/make_golden.py (explicit-softmax attention, no KV cache) on
/// the same random tiny weights, all fp32 on the CPU.
/// </summary>
public sealed class ReferenceModelTests : IDisposable
{
    // fp32 with different kernels (SDPA vs explicit softmax, cached vs recomputed keys): agreement to ~1e-6 relative.
    private const float FeatureTolerance = 1e-4f, LogitTolerance = 1e-4f;

    private readonly LlavaRadModel _model = LlavaRadModel.Load(ModelDirectory.Open(GoldenData.TinyModel), CPU);
    private readonly Dictionary<string, Tensor> _golden = GoldenData.Tensors("model-reference.safetensors");

    [Fact]
    public void VisionFeaturesMatchBlockOutputBeforeTheLastBlockWithoutClsOrNorm()
    {
        using var _ = NewDisposeScope();
        var ours = _model.VisionFeatures(_golden["pixels"]);
        AssertClose(_golden["vision_features"], ours, FeatureTolerance);
    }

    [Fact]
    public void ProjectorOutputMatches()
    {
        using var _ = NewDisposeScope();
        var ours = _model.EncodeImages(_golden["pixels"]);
        AssertClose(_golden["projector_output"], ours, FeatureTolerance);
    }

    [Fact]
    public void PrefillLogitsOfEveryPositionMatch()
    {
        using var _ = NewDisposeScope();
        var run = Run(0);
        var image = _model.EncodeImages(_golden["pixels"].narrow(0, 0, 1))[0];
        var embeds = _model.EmbedPrompt(run.PromptIds, image).unsqueeze(0);
        using var cache = new KvCache(_model.Config.TextConfig, 1, embeds.shape[1], ScalarType.Float32, CPU);
        var logits = _model.Decoder.Logits(_model.Decoder.Forward(embeds, arange(embeds.shape[1]).unsqueeze(0), cache, AttentionMask.Causal))[0];
        Assert.Equal(run.PromptIds.Length - 1 + 16, logits.shape[0]); // the -200 slot became 16 image rows
        AssertClose(_golden["prefill_logits"], logits, LogitTolerance);
    }

    [Fact]
    public void FirstStepLogitsMatchWithinTolerance()
    {
        using var _ = NewDisposeScope();
        var run = Run(0);
        var image = _model.EncodeImages(_golden["pixels"].narrow(0, 0, 1))[0];
        var embeds = _model.EmbedPrompt(run.PromptIds, image).unsqueeze(0);
        using var cache = new KvCache(_model.Config.TextConfig, 1, embeds.shape[1], ScalarType.Float32, CPU);
        var logits = _model.Decoder.ForwardLast(embeds, arange(embeds.shape[1]).unsqueeze(0), cache, AttentionMask.Causal);
        AssertClose(_golden["first_step_logits"], logits, LogitTolerance);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void GreedyTokensEqualTheReferenceFor40StepsWithTheKvCache(int index)
    {
        var run = Run(index);
        using var pixels = _golden["pixels"].narrow(0, index, 1);
        var result = new TextGenerator(_model, tokenizer: null).Generate(
            new GenerationRequest(pixels, run.PromptIds), new GenerationOptions { MaxNewTokens = run.Tokens.Length });

        Assert.Equal(run.Tokens, result.TokenIds);
        Assert.Equal(FinishReason.Length, result.FinishReason);
        for (var i = 0; i < run.Tokens.Length; i++) Assert.Equal(run.Logprobs[i], result.Logprobs[i], 1e-4);
    }

    [Fact]
    public void BatchOfDifferentPromptLengthsGivesTheTokensOfEachAlone()
    {
        var runs = new[] { Run(0), Run(1) };
        using var first = _golden["pixels"].narrow(0, 0, 1);
        using var second = _golden["pixels"].narrow(0, 1, 1);
        var results = new TextGenerator(_model, tokenizer: null).GenerateBatch(
            [new GenerationRequest(first, runs[0].PromptIds), new GenerationRequest(second, runs[1].PromptIds)],
            new GenerationOptions { MaxNewTokens = 40 });

        Assert.Equal(runs[0].Tokens, results[0].TokenIds);
        Assert.Equal(runs[1].Tokens, results[1].TokenIds);
        for (var i = 0; i < 40; i++) Assert.Equal(runs[1].Logprobs[i], results[1].Logprobs[i], 1e-4);
    }

    private sealed record ReferenceRun(long[] PromptIds, int[] Tokens, double[] Logprobs);

    private static ReferenceRun Run(int index)
    {
        using var json = GoldenData.Json("model-reference.json");
        var run = json.RootElement.GetProperty("runs")[index];
        return new ReferenceRun(
            run.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            run.GetProperty("greedy_tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            run.GetProperty("greedy_logprobs").EnumerateArray().Select(e => e.GetDouble()).ToArray());
    }

    internal static void AssertClose(Tensor expected, Tensor actual, float tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        var worst = (expected - actual).abs().max().item<float>();
        Assert.True(worst <= tolerance, $"max |difference| {worst} exceeds {tolerance}");
    }

    public void Dispose()
    {
        _model.Dispose();
        foreach (var t in _golden.Values) t.Dispose();
    }
}
