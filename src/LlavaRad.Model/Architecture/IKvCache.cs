using static TorchSharp.torch;

namespace LlavaRad.Model.Architecture;

/// <summary>
/// Where attention keeps the keys and values of earlier positions. One sequence or a padded batch
/// (<see cref="KvCache"/>), or the rows of a continuous batch (<see cref="SlotKvCache"/>) with lengths of their own.
/// </summary>
public interface IKvCache
{
    /// <summary>Positions already filled; 0 means "prompt from an empty cache".</summary>
    long Length { get; }

    /// <summary>Writes k, v ([B, Hkv, T, hd]) after the filled part; returns all keys and values so far ([B, Hkv, S, hd]).</summary>
    (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v);

    /// <summary>Called once per forward pass, after every layer appended its T new positions.</summary>
    void Advance(long t);
}
