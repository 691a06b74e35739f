using System.Buffers.Binary;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// From a JPEG stream's markers (ITU T.81 B.2): whether the frame is lossless (SOF3), and its first scan's predictor
/// (Ss) and point transform (Al). JpegLibrary reads these but does not expose them.
/// </summary>
internal readonly record struct JpegScanParameters(bool Lossless, int Predictor, int PointTransform)
{
    public static JpegScanParameters Read(ReadOnlySpan<byte> jpeg)
    {
        var lossless = false;
        var position = 2; // after SOI
        while (position + 4 <= jpeg.Length)
        {
            if (jpeg[position] != 0xFF) { position++; continue; }
            var marker = jpeg[position + 1];
            if (marker is 0xFF or 0x01 or (>= 0xD0 and <= 0xD7)) { position++; continue; } // fill bytes, TEM, RSTn
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(position + 2)..]);
            if (marker == 0xC3) lossless = true;
            if (marker == 0xDA)
            {
                var components = position + 4 < jpeg.Length ? jpeg[position + 4] : 0;
                var ss = position + 5 + 2 * components;
                if (ss + 2 >= jpeg.Length) break;
                return new JpegScanParameters(lossless, jpeg[ss], jpeg[ss + 2] & 0x0F);
            }
            position += 2 + length;
        }
        throw CodecHeaderCheck.Corrupt("JPEG", "no start-of-scan marker");
    }
}
