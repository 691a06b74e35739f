namespace LlavaRad.Imaging;

/// <summary>An 8-bit grayscale image, row by row, 0 = black: what the inference node receives.</summary>
public sealed record Gray8Image(int Width, int Height, byte[] Pixels)
{
    public byte this[int x, int y] => Pixels[y * Width + x];
}
