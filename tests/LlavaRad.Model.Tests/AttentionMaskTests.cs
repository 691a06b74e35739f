using LlavaRad.Model.Architecture;
using static TorchSharp.torch;

namespace LlavaRad.Model.Tests;

/// <summary>The masks callers build once per forward pass, checked against the fused causal kernel of one whole prefill.</summary>
public sealed class AttentionMaskTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LlavaRadModel _model;

    public AttentionMaskTests()
    {
        TinyModelWriter.Write(_dir.Path, TinyModelWriter.DefaultConfig, seed: 21);
        _model = LlavaRadModel.Load(ModelDirectory.Open(_dir.Path), CPU);
    }

    public void Dispose()
    {
        _model.Dispose();
        _dir.Dispose();
    }

    private Tensor Embeds(long length) => _model.Decoder.Embed(arange(3, 3 + length).unsqueeze(0)); // [1, L, D]

    [Fact]
    public void APromptPrefilledInChunksHasTheLogitsOfOneCausalPrefill()
    {
        using var _ = NewDisposeScope();
        const long length = 11, first = 4;
        var embeds = Embeds(length);
        using var whole = new KvCache(_model.Config.TextConfig, 1, length, ScalarType.Float32, CPU);
        var expected = _model.Decoder.ForwardLast(embeds, arange(length).unsqueeze(0), whole, AttentionMask.Causal);

        using var chunked = new KvCache(_model.Config.TextConfig, 1, length, ScalarType.Float32, CPU);
        _model.Decoder.Forward(embeds.narrow(1, 0, first), arange(first).unsqueeze(0), chunked, AttentionMask.Causal);
        var actual = _model.Decoder.ForwardLast(embeds.narrow(1, first, length - first), arange(first, length).unsqueeze(0), chunked,
            AttentionMask.Chunk(first, length - first, CPU));

        Assert.True(allclose(expected, actual, rtol: 1e-4, atol: 1e-5), $"max |difference| {(expected - actual).abs().max().item<float>()}");
    }

    [Fact]
    public void APlainCausalMaskForSeveralPositionsAfterAFilledCacheIsRefused()
    {
        using var _ = NewDisposeScope();
        var embeds = Embeds(6);
        using var cache = new KvCache(_model.Config.TextConfig, 1, 6, ScalarType.Float32, CPU);
        _model.Decoder.Forward(embeds.narrow(1, 0, 3), arange(3).unsqueeze(0), cache, AttentionMask.Causal);

        var refused = Assert.Throws<InvalidOperationException>(() =>
            _model.Decoder.Forward(embeds.narrow(1, 3, 3), arange(3, 6).unsqueeze(0), cache, AttentionMask.Causal));
        Assert.Contains("explicit mask", refused.Message);
    }
}
