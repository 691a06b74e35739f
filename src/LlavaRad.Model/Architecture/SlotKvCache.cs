using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// The KV pool of a continuous batch: per layer one preallocated [MaxRows, Hkv, capacity, hd] tensor for keys and
/// one for values. Row r holds one decoding sequence at positions 0..length_r-1 (right padding, per-row lengths).
/// Rows in use stay contiguous (0..Rows-1): a leaving sequence's row is refilled from the last row, so a decode step
/// reads one narrow view of the pool instead of gathering caches. Slots, not pages: TorchSharp has no paged-attention
/// kernel, and a contiguous slot is what padded scaled-dot-product attention with a mask can read directly.
/// </summary>
public sealed class SlotKvCache : IDisposable
{
    private readonly Tensor[] _keys, _values;
    private readonly List<long> _lengths = [];

    public SlotKvCache(TextConfig config, int maxRows, long capacity, ScalarType dtype, Device device)
    {
        MaxRows = maxRows;
        Capacity = capacity;
        Device = device;
        var shape = new[] { (long)maxRows, config.NumKeyValueHeads, capacity, config.HeadDim };
        // Owned by the pool for its whole life, whatever dispose scope the constructor runs in.
        _keys = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => zeros(shape, dtype, device).DetachFromDisposeScope()).ToArray();
        _values = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => zeros(shape, dtype, device).DetachFromDisposeScope()).ToArray();
    }

    public int MaxRows { get; }
    public long Capacity { get; }
    public Device Device { get; }
    public int Rows => _lengths.Count;
    public long Length(int row) => _lengths[row];

    /// <summary>Positions held by all rows together (for the cache-usage gauge).</summary>
    public long FilledPositions => _lengths.Sum();

    /// <summary>Copies a prefilled single-sequence cache ([1, Hkv, L, hd] per layer) into a new last row; returns the row.</summary>
    public int Add(KvCache prefilled)
    {
        if (Rows == MaxRows) throw new InvalidOperationException($"all {MaxRows} KV rows are in use");
        var length = prefilled.Length;
        if (length >= Capacity) throw new InvalidOperationException($"a prompt of {length} positions leaves no room in a KV row of {Capacity}");
        var row = Rows;
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer][row].narrow(1, 0, length).copy_(prefilled.Keys(layer)[0].narrow(1, 0, length));
            _values[layer][row].narrow(1, 0, length).copy_(prefilled.Values(layer)[0].narrow(1, 0, length));
        }
        _lengths.Add(length);
        return row;
    }

    /// <summary>Frees a row; the last row moves into it (returned so callers can renumber), or -1 when it was the last.</summary>
    public int Remove(int row)
    {
        var last = Rows - 1;
        if (row != last)
        {
            var length = _lengths[last];
            for (var layer = 0; layer < _keys.Length; layer++)
            {
                _keys[layer][row].narrow(1, 0, length).copy_(_keys[layer][last].narrow(1, 0, length));
                _values[layer][row].narrow(1, 0, length).copy_(_values[layer][last].narrow(1, 0, length));
            }
            _lengths[row] = length;
        }
        _lengths.RemoveAt(last);
        return row == last ? -1 : last;
    }

    /// <summary>
    /// A view for one decode step of every row (one new token each): rope positions [B, 1], the key mask
    /// [B, 1, 1, S] that hides each row's padding, and the cache the decoder appends to.
    /// </summary>
    public DecodeStep BeginDecodeStep()
    {
        if (Rows == 0) throw new InvalidOperationException("no rows to decode");
        if (_lengths.Max() + 1 > Capacity) throw new InvalidOperationException($"a KV row would pass its capacity {Capacity}");
        return new DecodeStep(this);
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }

    public sealed class DecodeStep : IKvCache
    {
        private readonly SlotKvCache _pool;
        private readonly Tensor _lengths; // [B] int64, before this step
        private readonly long _span;      // S = longest row + 1

        internal DecodeStep(SlotKvCache pool)
        {
            _pool = pool;
            _lengths = tensor(pool._lengths.ToArray(), device: pool.Device);
            _span = pool._lengths.Max() + 1;
            Positions = _lengths.unsqueeze(1);                                                            // [B, 1]
            Mask = AttentionMask.OneStep(arange(_span, device: pool.Device).unsqueeze(0) <= _lengths.unsqueeze(1)); // keys [B, S]
        }

        public Tensor Positions { get; }
        public AttentionMask Mask { get; }

        /// <summary>Never 0 here: decode always passes <see cref="Mask"/>.</summary>
        public long Length => _span - 1;

        public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v) // k, v: [B, Hkv, 1, hd]
        {
            var rows = _pool.Rows;
            var at = _lengths.view(rows, 1, 1, 1).expand(k.shape);           // each row writes at its own length
            var keys = _pool._keys[layer].narrow(0, 0, rows);
            var values = _pool._values[layer].narrow(0, 0, rows);
            keys.scatter_(2, at, k);
            values.scatter_(2, at, v);
            return (keys.narrow(2, 0, _span), values.narrow(2, 0, _span)); // [B, Hkv, S, hd]
        }

        public void Advance(long t)
        {
            for (var i = 0; i < _pool._lengths.Count; i++) _pool._lengths[i] += t;
        }
    }
}
