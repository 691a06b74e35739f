using System.Runtime.InteropServices;
using JpegLibrary;

namespace LlavaRad.Imaging.Part10.Codecs;

/// <summary>
/// JPEG extended 12-bit (1.2.840.10008.1.2.4.51) and lossless, process 14 and its selection value 1
/// (.57, .70), through JpegLibrary (managed, MIT). The frame header is identified first and checked before decoding.
/// JpegLibrary does no colour conversion: YBR streams give Y as component 0, which is all the luma rule needs.
/// Its failures on hostile streams (any exception it throws) become corrupt-compressed-data.
/// </summary>
internal sealed class JpegCodec : IFrameCodec
{
    public static JpegCodec Instance { get; } = new();

    public StoredPixelFrame Decode(ReadOnlyMemory<byte> frame, PixelFormat format, DicomReadLimits limits)
    {
        try
        {
            var decoder = new JpegDecoder();
            decoder.SetInput(frame);
            decoder.Identify();
            CodecHeaderCheck.Check("JPEG", decoder.Width, decoder.Height, decoder.NumberOfComponents, decoder.Precision, format, limits);
            var scan = JpegScanParameters.Read(frame.Span);
            if (scan.Lossless && scan.Predictor != 1)
                throw new DicomReadException(DicomReadException.CompressedTransferSyntaxUnsupported,
                    $"JPEG lossless with predictor {scan.Predictor}: JpegLibrary 0.4.32 decodes selection value 1 only (it predicts the first row wrongly otherwise); ask the server to transcode");
            var writer = new ComponentWriter(decoder.Width, decoder.Height, decoder.NumberOfComponents, decoder.Precision, scan, format);
            decoder.SetOutputWriter(writer);
            decoder.Decode();
            return writer.Words is { } words
                ? new StoredPixelFrame(format.Columns, format.Rows, words, format.BitsStored, format.Signed)
                : FrameAssembly.ToStoredFrame(
                    new DecodedSamples(decoder.Width, decoder.Height, decoder.NumberOfComponents, decoder.Precision, writer.Samples!), format);
        }
        catch (Exception e) when (e is not DicomReadException and not OutOfMemoryException)
        {
            throw CodecHeaderCheck.Corrupt("JPEG", e.Message);
        }
    }

    /// <summary>
    /// Copies each decoded 8 × 8 block of a component into that component's plane: DCT samples clamped to the
    /// precision (JpegLibrary leaves the IDCT's overshoot to its writer), lossless samples shifted back by the point
    /// transform (JpegLibrary does not; dcmtk and GDCM do). Grayscale goes straight into the frame's 16-bit words,
    /// read with the dataset's BitsStored and sign, so the largest image holds one frame, not an int plane besides it.
    /// </summary>
    private sealed class ComponentWriter : JpegBlockOutputWriter
    {
        private readonly int _width, _height, _components, _mask;
        private readonly JpegScanParameters _scan;
        private readonly PixelFormat _format;

        public ComponentWriter(int width, int height, int components, int precision, JpegScanParameters scan, PixelFormat format)
        {
            (_width, _height, _components, _mask, _scan, _format) = (width, height, components, (1 << precision) - 1, scan, format);
            if (format.IsColour) Samples = new int[width * height * components];
            else Words = GC.AllocateUninitializedArray<ushort>(width * height);
        }

        /// <summary>Colour: every component's plane, for <see cref="FrameAssembly"/>'s luma rule.</summary>
        public int[]? Samples { get; }

        /// <summary>Grayscale: the stored frame itself.</summary>
        public ushort[]? Words { get; }

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            if (componentIndex >= _components || x >= _width || y >= _height) return;
            var block = MemoryMarshal.CreateReadOnlySpan(ref blockRef, 64);
            var columns = Math.Min(8, _width - x);
            var rows = Math.Min(8, _height - y);
            for (var row = 0; row < rows; row++)
            for (var column = 0; column < columns; column++)
            {
                var sample = _scan.Lossless
                    ? (block[row * 8 + column] << _scan.PointTransform) & _mask
                    : Math.Clamp((int)block[row * 8 + column], 0, _mask);
                var index = (y + row) * _width + x + column;
                if (Words is { } words) words[index] = (ushort)_format.FromDecoded(sample);
                else Samples![componentIndex * _width * _height + index] = sample;
            }
        }
    }
}
