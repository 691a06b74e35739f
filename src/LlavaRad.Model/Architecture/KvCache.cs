using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// Keys and values of every decoder layer, preallocated for the whole generation ([B, Hkv, capacity, hd] each) so
/// a step writes into place instead of concatenating (no per-step allocation growth).
/// </summary>
public sealed class KvCache : IKvCache, IDisposable
{
    private readonly Tensor[] _keys, _values;

    public KvCache(TextConfig config, long batch, long capacity, ScalarType dtype, Device device)
    {
        Capacity = capacity;
        var shape = new[] { batch, config.NumKeyValueHeads, capacity, config.HeadDim };
        _keys = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => zeros(shape, dtype, device)).ToArray();
        _values = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => zeros(shape, dtype, device)).ToArray();
    }

    public long Capacity { get; }

    /// <summary>Positions already filled (the same for every layer between forward passes).</summary>
    public long Length { get; private set; }

    /// <summary>Writes k, v ([B, Hkv, T, hd]) after the filled part; returns all keys and values so far.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var t = k.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache full: {Length} + {t} > {Capacity}");
        _keys[layer].narrow(2, Length, t).copy_(k);
        _values[layer].narrow(2, Length, t).copy_(v);
        return (_keys[layer].narrow(2, 0, Length + t), _values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Called once per forward pass, after every layer appended its T new positions.</summary>
    public void Advance(long t) => Length += t;

    /// <summary>The whole preallocated key tensor of a layer ([B, Hkv, capacity, hd]); filled up to <see cref="Length"/>.</summary>
    public Tensor Keys(int layer) => _keys[layer];

    public Tensor Values(int layer) => _values[layer];

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }
}
