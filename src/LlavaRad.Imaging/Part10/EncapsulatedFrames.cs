namespace LlavaRad.Imaging.Part10;

/// <summary>
/// The bytes of frame 1 in encapsulated pixel data (PS3.5 A.4): fragment 0 is the Basic Offset Table. A single-frame
/// image may spread over several fragments (joined); with several frames, frame 1 ends where the table says frame 2
/// starts, or is the first fragment when the table is empty.
/// </summary>
internal static class EncapsulatedFrames
{
    public static ReadOnlyMemory<byte> First(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int frames)
    {
        if (fragments.Count < 2) throw new DicomReadException(DicomReadException.NoPixelData, "encapsulated pixel data has no fragments");
        var offsets = fragments[0];
        var frameLength = frames > 1 && offsets.Length >= 8
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(offsets.Span[4..]) // where frame 2 starts
            : long.MaxValue;
        if (frames > 1 && frameLength == long.MaxValue) return fragments[1];
        if (fragments.Count == 2) return fragments[1];

        using var joined = new MemoryStream();
        long position = 0; // in the offset table's terms: each fragment costs its 8-byte item header too
        foreach (var fragment in fragments.Skip(1))
        {
            if (position >= frameLength) break;
            joined.Write(fragment.Span);
            position += 8 + fragment.Length;
        }
        return joined.ToArray();
    }
}
