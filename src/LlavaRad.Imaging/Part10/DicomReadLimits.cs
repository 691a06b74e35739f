namespace LlavaRad.Imaging.Part10;

/// <summary>Caps that keep a hostile or broken file from taking the process down (files come from the network).</summary>
public sealed record DicomReadLimits
{
    /// <summary>Largest Rows × Columns decoded: 8192 × 8192 covers every radiograph detector we know of.</summary>
    public long MaxPixels { get; init; } = 8192L * 8192;

    /// <summary>Sequences nest 3–4 deep in real images; anything far deeper is an attack or garbage.</summary>
    public int MaxSequenceDepth { get; init; } = 16;

    /// <summary>Elements in the whole file, nested items included.</summary>
    public int MaxElements { get; init; } = 200_000;

    /// <summary>Largest inflated size of a Deflated dataset (decompression bombs).</summary>
    public long MaxInflatedBytes { get; init; } = 512L * 1024 * 1024;

    public static DicomReadLimits Default { get; } = new();
}
