namespace LlavaRad.Imaging;

/// <summary>
/// One decoded frame of stored pixel values (before any LUT), row by row: masked to BitsStored and sign-extended
/// when PixelRepresentation is 1. A colour image arrives here as its BT.601 luma (<see cref="FromColour"/>), in the
/// colour samples' own range; the grayscale LUTs do not apply to it.
/// </summary>
public sealed record StoredPixelFrame(int Width, int Height, int[] Values, int BitsStored, bool Signed, bool FromColour = false);
