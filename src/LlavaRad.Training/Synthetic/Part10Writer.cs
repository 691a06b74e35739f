using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace LlavaRad.Training.Synthetic;

/// <summary>
/// Writes one DX "For Presentation" frontal chest image as a DICOM Part 10 file: preamble, DICM, File Meta in
/// Explicit VR Little Endian, then the dataset in Explicit VR Little Endian with 16-bit MONOCHROME2 native pixels
/// (12 bits stored). Just enough for the project's reader and for dcmtk/pydicom to accept it.
/// </summary>
public static class Part10Writer
{
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string DigitalXRayForPresentation = "1.2.840.10008.5.1.4.1.1.1.1";
    private const string ImplementationClassUid = "2.25.302417190438719473102573245019745871013";

    public sealed record Image(string PatientName, string PatientId, string StudyUid, string SeriesUid, string SopInstanceUid,
        int Rows, int Columns, ushort[] Pixels, int BitsStored, string ViewPosition = "PA");

    public static byte[] Write(Image image)
    {
        if (image.Pixels.Length != image.Rows * image.Columns) throw new ArgumentException("pixel count does not match rows x columns");
        var dataset = new MemoryStream();
        void Text(ushort g, ushort e, string vr, string value) => Element(dataset, g, e, vr, Pad(value, vr));
        void US(ushort g, ushort e, int value) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value); Element(dataset, g, e, "US", b); }

        Text(0x0008, 0x0016, "UI", DigitalXRayForPresentation);
        Text(0x0008, 0x0018, "UI", image.SopInstanceUid);
        Text(0x0008, 0x0060, "CS", "DX");
        Text(0x0008, 0x0068, "CS", "FOR PRESENTATION");
        Text(0x0010, 0x0010, "PN", image.PatientName);
        Text(0x0010, 0x0020, "LO", image.PatientId);
        Text(0x0018, 0x0015, "CS", "CHEST");
        Text(0x0018, 0x5101, "CS", image.ViewPosition);
        Text(0x0020, 0x000D, "UI", image.StudyUid);
        Text(0x0020, 0x000E, "UI", image.SeriesUid);
        Text(0x0020, 0x0013, "IS", "1");
        US(0x0028, 0x0002, 1);
        Text(0x0028, 0x0004, "CS", "MONOCHROME2");
        US(0x0028, 0x0010, image.Rows);
        US(0x0028, 0x0011, image.Columns);
        US(0x0028, 0x0100, 16);
        US(0x0028, 0x0101, image.BitsStored);
        US(0x0028, 0x0102, image.BitsStored - 1);
        US(0x0028, 0x0103, 0);
        var max = 1 << image.BitsStored;
        Text(0x0028, 0x1050, "DS", (max / 2).ToString(CultureInfo.InvariantCulture));
        Text(0x0028, 0x1051, "DS", max.ToString(CultureInfo.InvariantCulture));
        var pixels = new byte[image.Pixels.Length * 2];
        for (var i = 0; i < image.Pixels.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(2 * i), image.Pixels[i]);
        Element(dataset, 0x7FE0, 0x0010, "OW", pixels);

        var meta = new MemoryStream();
        Element(meta, 0x0002, 0x0001, "OB", [0, 1]);
        Element(meta, 0x0002, 0x0002, "UI", Pad(DigitalXRayForPresentation, "UI"));
        Element(meta, 0x0002, 0x0003, "UI", Pad(image.SopInstanceUid, "UI"));
        Element(meta, 0x0002, 0x0010, "UI", Pad(ExplicitVrLittleEndian, "UI"));
        Element(meta, 0x0002, 0x0012, "UI", Pad(ImplementationClassUid, "UI"));
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)meta.Length);

        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        Element(file, 0x0002, 0x0000, "UL", groupLength);
        meta.WriteTo(file);
        dataset.WriteTo(file);
        return file.ToArray();
    }

    /// <summary>A "2.25." UID (ITU-T X.667 form) derived from a name, so the same case always gets the same UIDs.</summary>
    public static string UidFor(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return "2.25." + new BigInteger(hash.AsSpan(0, 16), isUnsigned: true).ToString(CultureInfo.InvariantCulture);
    }

    private static byte[] Pad(string value, string vr)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr == "UI" ? (byte)0 : (byte)' ';
        return padded;
    }

    private static void Element(Stream s, ushort group, ushort element, string vr, byte[] value)
    {
        Span<byte> head = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(head, group);
        BinaryPrimitives.WriteUInt16LittleEndian(head[2..], element);
        head[4] = (byte)vr[0];
        head[5] = (byte)vr[1];
        if (vr is "OB" or "OW" or "UN" or "SQ" or "UT")
        {
            head[6] = head[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(head[8..], (uint)value.Length);
            s.Write(head);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(head[6..], (ushort)value.Length);
            s.Write(head[..8]);
        }
        s.Write(value);
    }
}
