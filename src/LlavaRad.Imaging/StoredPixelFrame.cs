namespace LlavaRad.Imaging;

/// <summary>
/// One decoded frame of stored pixel values (before any LUT), row by row: masked to BitsStored and sign-extended
/// when PixelRepresentation is 1. A colour image arrives here as its BT.601 luma (<see cref="FromColour"/>), in the
/// colour samples' own range; the grayscale LUTs do not apply to it.
/// Stored values are at most 16 bits, so each is kept in one 16-bit word (<see cref="Words"/>: the value's two's
/// complement when <see cref="Signed"/>): the largest accepted image costs 2 bytes a pixel here, not an int's 4.
/// </summary>
public sealed record StoredPixelFrame(int Width, int Height, ushort[] Words, int BitsStored, bool Signed, bool FromColour = false)
{
    public int Length => Words.Length;

    /// <summary>Stored value <paramref name="index"/>, read as <see cref="Signed"/> says.</summary>
    public int this[int index] => Signed ? (short)Words[index] : Words[index];

    /// <summary>The words as signed values (only meaningful when <see cref="Signed"/>).</summary>
    public ReadOnlySpan<short> SignedValues => System.Runtime.InteropServices.MemoryMarshal.Cast<ushort, short>(Words.AsSpan());
}
