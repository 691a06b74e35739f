namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// Stored values that mark padding, not anatomy (PS3.3 C.7.5.1.1.2): Pixel Padding Value alone, or the range up to
/// Pixel Padding Range Limit. Read as signed when PixelRepresentation is 1 (the VR is then SS).
/// </summary>
public readonly record struct PixelPadding(int Low, int High)
{
    public const uint PixelPaddingValue = 0x00280120;
    public const uint PixelPaddingRangeLimit = 0x00280121;

    public bool Contains(int stored) => stored >= Low && stored <= High;

    public static PixelPadding? From(IDicomAttributes attributes, bool signed)
    {
        if (Read(attributes, PixelPaddingValue, signed) is not { } value) return null;
        var limit = Read(attributes, PixelPaddingRangeLimit, signed) ?? value;
        return new PixelPadding(Math.Min(value, limit), Math.Max(value, limit));
    }

    // Implicit VR files give no VR, so the value arrives as an unsigned word either way: reinterpret when signed.
    private static int? Read(IDicomAttributes attributes, uint tag, bool signed) =>
        attributes.GetInt(tag) is { } raw ? (signed && raw > short.MaxValue ? (short)(ushort)raw : raw) : null;
}
