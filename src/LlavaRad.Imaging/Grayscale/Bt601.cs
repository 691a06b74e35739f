namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// ITU-R BT.601 luma, the one rule for colour to grayscale: colour DICOM pixels here, RGB PNGs from a server's
/// /rendered, colour images sent to the node. YBR_FULL's Y is this same sum, so it is taken as is.
/// </summary>
public static class Bt601
{
    public static int Luma(int r, int g, int b) => (int)Math.Round(0.299 * r + 0.587 * g + 0.114 * b);
}
