namespace LlavaRad.Imaging;

/// <summary>
/// One decoded frame of stored pixel values (before any LUT), row by row: masked to BitsStored and sign-extended
/// when PixelRepresentation is 1.
/// </summary>
public sealed record StoredPixelFrame(int Width, int Height, int[] Values, int BitsStored, bool Signed);
