using System.Buffers.Binary;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// Reads the elements of one dataset from memory (PS3.5 section 7): explicit or implicit VR, either byte order,
/// sequences and items of defined and undefined length, encapsulated pixel data. Every length is checked against the
/// bytes that are really there, and nesting and element counts are capped, so broken input ends in a coded error.
/// </summary>
internal sealed class DicomDatasetParser(ReadOnlyMemory<byte> data, bool bigEndian, DicomReadLimits limits)
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private int _elementCount;

    public DicomDataset ParseAll(bool explicitVr) => ParseDataset(0, data.Length, explicitVr, depth: 0, parent: null, out _, inItem: false);

    private DicomDataset ParseDataset(int position, int end, bool explicitVr, int depth, DicomDataset? parent, out int next, bool inItem)
    {
        var dataset = new DicomDataset(bigEndian, parent);
        while (position < end)
        {
            if (++_elementCount > limits.MaxElements)
                throw new DicomReadException(DicomReadException.TooManyElements, $"more than {limits.MaxElements} elements");
            var tag = ReadTag(position, end);
            if (tag == DicomTag.ItemDelimitation && inItem)
            {
                next = position + 8;
                if (next > end) throw Truncated("an item delimiter");
                return dataset;
            }
            if (tag >> 16 == 0xFFFE)
                throw new DicomReadException(DicomReadException.InvalidLength, $"unexpected delimiter {DicomTag.Format(tag)} at byte {position}");

            string vr;
            uint length;
            int valueStart;
            if (explicitVr)
            {
                Need(position, 8, end);
                var span = data.Span;
                vr = ReadVr(span[position + 4], span[position + 5], tag);
                if (HasLongLength(vr))
                {
                    Need(position, 12, end);
                    length = ReadUInt32(position + 8);
                    valueStart = position + 12;
                }
                else
                {
                    length = ReadUInt16(position + 6);
                    valueStart = position + 8;
                }
            }
            else
            {
                Need(position, 8, end);
                vr = ImplicitVrDictionary.Lookup(tag);
                length = ReadUInt32(position + 4);
                valueStart = position + 8;
            }

            if (length == UndefinedLength)
            {
                if (tag == DicomTag.PixelData)
                {
                    dataset.Add(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, Fragments: ReadFragments(valueStart, end, out position)));
                }
                else if (vr is "SQ" or "UN")
                {
                    // An undefined-length UN is a sequence in implicit VR little endian (PS3.5 6.2.2).
                    var itemsExplicit = vr == "SQ" && explicitVr;
                    var items = ReadSequence(valueStart, end, undefinedLength: true, itemsExplicit, depth + 1, dataset, out position);
                    dataset.Add(new DicomElement(tag, "SQ", ReadOnlyMemory<byte>.Empty, items));
                }
                else
                {
                    throw new DicomReadException(DicomReadException.InvalidLength, $"undefined length on {vr} element {DicomTag.Format(tag)}");
                }
                continue;
            }

            if (length > (uint)(end - valueStart))
                throw new DicomReadException(DicomReadException.Truncated, $"element {DicomTag.Format(tag)} claims {length} bytes, {end - valueStart} remain");
            if ((length & 1) != 0)
                throw new DicomReadException(DicomReadException.OddLength, $"element {DicomTag.Format(tag)} has odd length {length}");
            var valueEnd = valueStart + (int)length;
            if (vr == "SQ")
            {
                var items = ReadSequence(valueStart, valueEnd, undefinedLength: false, explicitVr, depth + 1, dataset, out _);
                dataset.Add(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, items));
            }
            else
            {
                dataset.Add(new DicomElement(tag, vr, data.Slice(valueStart, (int)length)));
            }
            position = valueEnd;
        }
        if (inItem) throw Truncated("an item without its delimiter");
        next = position;
        return dataset;
    }

    private List<DicomDataset> ReadSequence(int position, int end, bool undefinedLength, bool explicitVr, int depth, DicomDataset parent, out int next)
    {
        if (depth > limits.MaxSequenceDepth)
            throw new DicomReadException(DicomReadException.SequenceTooDeep, $"sequences nested deeper than {limits.MaxSequenceDepth}");
        var items = new List<DicomDataset>();
        while (true)
        {
            if (!undefinedLength && position == end) break;
            if (++_elementCount > limits.MaxElements)
                throw new DicomReadException(DicomReadException.TooManyElements, $"more than {limits.MaxElements} elements");
            Need(position, 8, end);
            var tag = ReadTag(position, end);
            var length = ReadUInt32(position + 4);
            position += 8;
            if (tag == DicomTag.SequenceDelimitation && undefinedLength) break;
            if (tag != DicomTag.Item)
                throw new DicomReadException(DicomReadException.InvalidLength, $"expected an item in a sequence, found {DicomTag.Format(tag)}");
            if (length == UndefinedLength)
            {
                items.Add(ParseDataset(position, end, explicitVr, depth, parent, out position, inItem: true));
            }
            else
            {
                if (length > (uint)(end - position)) throw Truncated("a sequence item");
                items.Add(ParseDataset(position, position + (int)length, explicitVr, depth, parent, out _, inItem: false));
                position += (int)length;
            }
        }
        next = position;
        return items;
    }

    // Encapsulated pixel data (PS3.5 A.4): items of defined length (the first is the Basic Offset Table), then a delimiter.
    private List<ReadOnlyMemory<byte>> ReadFragments(int position, int end, out int next)
    {
        var fragments = new List<ReadOnlyMemory<byte>>();
        while (true)
        {
            Need(position, 8, end);
            var tag = ReadTag(position, end);
            var length = ReadUInt32(position + 4);
            position += 8;
            if (tag == DicomTag.SequenceDelimitation) break;
            if (tag != DicomTag.Item || length == UndefinedLength)
                throw new DicomReadException(DicomReadException.InvalidLength, "encapsulated pixel data holds something other than fragments");
            if (length > (uint)(end - position)) throw Truncated("a pixel data fragment");
            if (++_elementCount > limits.MaxElements)
                throw new DicomReadException(DicomReadException.TooManyElements, $"more than {limits.MaxElements} fragments");
            fragments.Add(data.Slice(position, (int)length));
            position += (int)length;
        }
        next = position;
        return fragments;
    }

    private static bool HasLongLength(string vr) => vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV";

    private static string ReadVr(byte first, byte second, uint tag)
    {
        if (first is < (byte)'A' or > (byte)'Z' || second is < (byte)'A' or > (byte)'Z')
            throw new DicomReadException(DicomReadException.InvalidVr, $"element {DicomTag.Format(tag)} has no valid VR");
        return string.Create(2, (first, second), (chars, pair) => { chars[0] = (char)pair.first; chars[1] = (char)pair.second; });
    }

    private uint ReadTag(int position, int end)
    {
        Need(position, 4, end);
        return (uint)ReadUInt16(position) << 16 | ReadUInt16(position + 2);
    }

    private ushort ReadUInt16(int position) => bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(data.Span[position..]) : BinaryPrimitives.ReadUInt16LittleEndian(data.Span[position..]);

    private uint ReadUInt32(int position) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(data.Span[position..]) : BinaryPrimitives.ReadUInt32LittleEndian(data.Span[position..]);

    private static void Need(int position, int count, int end)
    {
        if (end - position < count) throw Truncated("an element header");
    }

    private static DicomReadException Truncated(string what) =>
        new(DicomReadException.Truncated, $"the data ends inside {what}");
}
