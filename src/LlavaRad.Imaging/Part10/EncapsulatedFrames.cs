using System.Buffers.Binary;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// The bytes of frame 1 in encapsulated pixel data (PS3.5 A.4). Fragment 0 is the Basic Offset Table; the Extended
/// Offset Table (7FE0,0001) replaces it when present. A single-frame image may spread over several fragments (joined).
/// With several frames, frame 1 ends where a table says frame 2 starts; with no table it is one fragment per frame
/// or, when there are more fragments than frames, the fragments up to the first that ends a JPEG-family codestream
/// (EOI/EOC, FF D9, perhaps followed by the one pad byte that keeps fragments even).
/// </summary>
internal static class EncapsulatedFrames
{
    public static ReadOnlyMemory<byte> First(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int frames,
        ReadOnlyMemory<byte> extendedOffsetTable = default, bool endsWithMarker = false)
    {
        if (fragments.Count < 2) throw new DicomReadException(DicomReadException.NoPixelData, "encapsulated pixel data has no fragments");
        var data = fragments.Skip(1).ToList();
        if (frames == 1 || data.Count == 1) return Join(data, data.Count);

        var secondFrameStart = SecondFrameOffset(fragments[0].Span, extendedOffsetTable.Span);
        if (secondFrameStart is { } end)
        {
            long position = 0; // in the tables' terms: each fragment costs its 8-byte item header too
            var count = 0;
            while (count < data.Count && position < end) position += 8 + data[count++].Length;
            return Join(data, Math.Max(count, 1));
        }
        if (data.Count == frames || !endsWithMarker) return data[0];
        var last = data.FindIndex(EndsCodestream);
        return Join(data, last < 0 ? data.Count : last + 1);
    }

    private static long? SecondFrameOffset(ReadOnlySpan<byte> basicOffsetTable, ReadOnlySpan<byte> extendedOffsetTable)
    {
        if (extendedOffsetTable.Length >= 16) return (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(extendedOffsetTable[8..]), long.MaxValue);
        if (basicOffsetTable.Length >= 8) return BinaryPrimitives.ReadUInt32LittleEndian(basicOffsetTable[4..]);
        return null;
    }

    private static bool EndsCodestream(ReadOnlyMemory<byte> fragment)
    {
        var span = fragment.Span;
        return span.EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9]) || span.EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9, 0x00]);
    }

    private static ReadOnlyMemory<byte> Join(List<ReadOnlyMemory<byte>> data, int count)
    {
        if (count == 1) return data[0];
        var joined = new byte[data.Take(count).Sum(f => (long)f.Length)];
        var offset = 0;
        foreach (var fragment in data.Take(count))
        {
            fragment.Span.CopyTo(joined.AsSpan(offset));
            offset += fragment.Length;
        }
        return joined;
    }
}
