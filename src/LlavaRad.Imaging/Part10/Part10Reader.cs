using System.Buffers.Binary;
using System.IO.Compression;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// Reads a DICOM Part 10 file (PS3.10 7.1): the 128-byte preamble and "DICM", the file meta group in explicit VR
/// little endian, then the dataset in the transfer syntax the meta names (inflated first when Deflated).
/// </summary>
public static class Part10Reader
{
    private const int PreambleLength = 128;

    public static DicomFile Read(ReadOnlyMemory<byte> file, DicomReadLimits? limits = null)
    {
        limits ??= DicomReadLimits.Default;
        var span = file.Span;
        if (span.Length < PreambleLength + 4 || span[PreambleLength] != 'D' || span[PreambleLength + 1] != 'I'
            || span[PreambleLength + 2] != 'C' || span[PreambleLength + 3] != 'M')
            throw new DicomReadException(DicomReadException.NotPart10, "no DICM marker after the 128-byte preamble");

        var metaStart = PreambleLength + 4;
        var metaEnd = FindMetaEnd(span, metaStart);
        var meta = new DicomDatasetParser(file[metaStart..metaEnd], bigEndian: false, limits).ParseAll(explicitVr: true);

        var syntaxUid = meta.GetString(DicomTag.TransferSyntaxUid)
            ?? throw new DicomReadException(DicomReadException.MissingAttribute, "file meta has no Transfer Syntax UID (0002,0010)");
        if (!DicomUid.IsValid(syntaxUid))
            throw new DicomReadException(DicomReadException.InvalidUid, "the Transfer Syntax UID (0002,0010) is not a valid UID");
        var syntax = TransferSyntax.FromUid(syntaxUid);

        var body = file[metaEnd..];
        if (syntax.Deflated) body = Inflate(body, limits.MaxInflatedBytes);
        var dataset = new DicomDatasetParser(body, syntax.BigEndian, limits).ParseAll(syntax.ExplicitVr);
        CheckUids(dataset);
        return new DicomFile(meta, syntax, dataset);
    }

    // Walk the group 0002 elements by their own lengths rather than trusting (0002,0000), which writers get wrong.
    private static int FindMetaEnd(ReadOnlySpan<byte> span, int position)
    {
        while (span.Length - position >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(span[position..]) == 0x0002)
        {
            var vr = span.Slice(position + 4, 2);
            var longLength = vr.SequenceEqual("OB"u8) || vr.SequenceEqual("UN"u8) || vr.SequenceEqual("UT"u8) || vr.SequenceEqual("SQ"u8);
            long length;
            int header;
            if (longLength)
            {
                if (span.Length - position < 12) break;
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(position + 8)..]);
                header = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(span[(position + 6)..]);
                header = 8;
            }
            if (length > span.Length - position - header)
                throw new DicomReadException(DicomReadException.Truncated, "the file meta information is cut short");
            position += header + (int)length;
        }
        return position;
    }

    private static ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> deflated, long maxBytes)
    {
        using var input = new MemoryStream(deflated.ToArray(), writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = inflater.Read(buffer)) > 0)
            {
                if (output.Length + read > maxBytes)
                    throw new DicomReadException(DicomReadException.DecompressionTooLarge, $"the deflated dataset inflates past {maxBytes} bytes");
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new DicomReadException(DicomReadException.CorruptCompressedData, "the deflated dataset is not valid deflate data");
        }
        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }

    private static void CheckUids(DicomDataset dataset)
    {
        foreach (var tag in new[] { DicomTag.SopClassUid, DicomTag.SopInstanceUid, DicomTag.StudyInstanceUid, DicomTag.SeriesInstanceUid })
        {
            var uid = dataset.GetString(tag);
            if (uid is not null && !DicomUid.IsValid(uid))
                throw new DicomReadException(DicomReadException.InvalidUid, $"{DicomTag.Format(tag)} is not a valid UID");
        }
    }
}
