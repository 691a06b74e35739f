using System.Buffers.Binary;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// Writes a Part 10 file (PS3.10 7.1): preamble, "DICM", the file meta group, then the data set in Explicit VR
/// Little Endian. Sequences and items use defined lengths, so any reader can skip them without parsing.
/// </summary>
public static class Part10Writer
{
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    private const string ImplementationClassUid = "2.25.246530617297125417914405384592813962129";
    private const string ImplementationVersionName = "LLAVARAD_1";

    // VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2).
    private static readonly HashSet<string> LongVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    /// <summary>The file bytes; the SOP Class and Instance UIDs go into the meta group and must match the data set.</summary>
    public static byte[] Write(DicomWriteDataset dataset, string sopClassUid, string sopInstanceUid)
    {
        var meta = new DicomWriteDataset()
            .Add(DicomTag.MediaStorageSopClassUid, "UI", sopClassUid)
            .Add(DicomTag.MediaStorageSopInstanceUid, "UI", sopInstanceUid)
            .Add(DicomTag.TransferSyntaxUid, "UI", ExplicitVrLittleEndian)
            .Add(0x00020012, "UI", ImplementationClassUid)
            .Add(0x00020013, "SH", ImplementationVersionName);
        var metaBody = new MemoryStream();
        WriteElement(metaBody, 0x00020001, new WriteElement("OB", [0, 1], null));
        WriteDataset(metaBody, meta);

        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        WriteHeader(file, 0x00020000, "UL", 4);
        Span<byte> groupLength = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)metaBody.Length);
        file.Write(groupLength);
        metaBody.Position = 0;
        metaBody.CopyTo(file);
        WriteDataset(file, dataset);
        return file.ToArray();
    }

    private static void WriteDataset(Stream output, DicomWriteDataset dataset)
    {
        foreach (var (tag, element) in dataset.Elements) WriteElement(output, tag, element);
    }

    private static void WriteElement(Stream output, uint tag, WriteElement element)
    {
        if (element.Items is null)
        {
            WriteHeader(output, tag, element.Vr, element.Value.Length);
            output.Write(element.Value);
            return;
        }
        var items = new MemoryStream();
        foreach (var item in element.Items)
        {
            var body = new MemoryStream();
            WriteDataset(body, item);
            WriteTag(items, DicomTag.Item);
            WriteUInt32(items, (uint)body.Length);
            body.Position = 0;
            body.CopyTo(items);
        }
        WriteHeader(output, tag, "SQ", items.Length);
        items.Position = 0;
        items.CopyTo(output);
    }

    private static void WriteHeader(Stream output, uint tag, string vr, long length)
    {
        WriteTag(output, tag);
        output.WriteByte((byte)vr[0]);
        output.WriteByte((byte)vr[1]);
        if (LongVrs.Contains(vr))
        {
            output.Write([0, 0]);
            WriteUInt32(output, checked((uint)length));
            return;
        }
        if (length > ushort.MaxValue) throw new ArgumentException($"{DicomTag.Format(tag)} {vr} value of {length} bytes exceeds the 16-bit length");
        Span<byte> shortLength = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(shortLength, (ushort)length);
        output.Write(shortLength);
    }

    private static void WriteTag(Stream output, uint tag)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], (ushort)tag);
        output.Write(bytes);
    }

    private static void WriteUInt32(Stream output, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        output.Write(bytes);
    }
}
