using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace LlavaRad.Imaging.Part10;

/// <summary>A dataset read from a Part 10 file: its elements by tag, decoded on demand.</summary>
public sealed class DicomDataset : IDicomAttributes
{
    private readonly Dictionary<uint, DicomElement> _elements = [];
    private readonly DicomDataset? _parent;
    private Encoding? _encoding;

    public DicomDataset(bool bigEndian, DicomDataset? parent = null)
    {
        BigEndian = bigEndian;
        _parent = parent;
    }

    public bool BigEndian { get; }

    public IEnumerable<DicomElement> Elements => _elements.Values.OrderBy(e => e.Tag);

    internal void Add(DicomElement element) => _elements[element.Tag] = element;

    public DicomElement? this[uint tag] => _elements.GetValueOrDefault(tag);

    public bool Contains(uint tag) => _elements.ContainsKey(tag);

    /// <summary>Items inherit the Specific Character Set of the dataset that contains them (PS3.5 7.5.3).</summary>
    public Encoding Encoding => _encoding ??= _elements.ContainsKey(DicomTag.SpecificCharacterSet)
        ? DicomCharacterSet.FromSpecificCharacterSet(AsciiValues(DicomTag.SpecificCharacterSet))
        : _parent?.Encoding ?? Encoding.Latin1;

    public IReadOnlyList<string> GetStrings(uint tag)
    {
        if (!_elements.TryGetValue(tag, out var element) || element.Items is not null || element.Fragments is not null) return [];
        var bytes = element.Value.Span;
        switch (element.Vr)
        {
            case "US": return Numbers(bytes, 2, b => ReadUInt16(b).ToString(CultureInfo.InvariantCulture));
            case "SS": return Numbers(bytes, 2, b => ((short)ReadUInt16(b)).ToString(CultureInfo.InvariantCulture));
            case "UL": return Numbers(bytes, 4, b => ReadUInt32(b).ToString(CultureInfo.InvariantCulture));
            case "SL": return Numbers(bytes, 4, b => ((int)ReadUInt32(b)).ToString(CultureInfo.InvariantCulture));
            case "FL": return Numbers(bytes, 4, b => BitConverter.Int32BitsToSingle((int)ReadUInt32(b)).ToString("R", CultureInfo.InvariantCulture));
            case "FD": return Numbers(bytes, 8, b => BitConverter.Int64BitsToDouble((long)ReadUInt64(b)).ToString("R", CultureInfo.InvariantCulture));
            case "OB" or "OW" or "OF" or "OD" or "OL" or "OV": return [];
        }
        var encoding = tag == DicomTag.SpecificCharacterSet || IsAsciiVr(element.Vr) ? Encoding.Latin1 : Encoding;
        var text = encoding.GetString(bytes);
        return text.Split('\\').Select(v => v.Trim(' ', '\0')).ToList();
    }

    public IReadOnlyList<DicomDataset> GetItems(uint tag) =>
        _elements.TryGetValue(tag, out var element) && element.Items is not null ? element.Items : [];

    IReadOnlyList<IDicomAttributes> IDicomAttributes.GetSequence(uint tag) => GetItems(tag);

    public ushort[]? GetWords(uint tag)
    {
        if (!_elements.TryGetValue(tag, out var element) || element.Items is not null || element.Fragments is not null) return null;
        var bytes = element.Value.Span;
        var words = new ushort[bytes.Length / 2];
        for (var i = 0; i < words.Length; i++) words[i] = ReadUInt16(bytes[(2 * i)..]);
        return words;
    }

    private IReadOnlyList<string> AsciiValues(uint tag) =>
        _elements.TryGetValue(tag, out var e) ? Encoding.Latin1.GetString(e.Value.Span).Split('\\').Select(v => v.Trim(' ', '\0')).ToList() : [];

    // Code strings, UIDs, numbers as text, dates and times use the default repertoire only.
    private static bool IsAsciiVr(string vr) => vr is "CS" or "UI" or "DS" or "IS" or "DA" or "TM" or "DT" or "AS" or "AE";

    private delegate string NumberFormat(ReadOnlySpan<byte> bytes);

    private static List<string> Numbers(ReadOnlySpan<byte> bytes, int size, NumberFormat format)
    {
        var values = new List<string>(bytes.Length / size);
        for (var offset = 0; offset + size <= bytes.Length; offset += size) values.Add(format(bytes.Slice(offset, size)));
        return values;
    }

    private ushort ReadUInt16(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
    private uint ReadUInt32(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
    private ulong ReadUInt64(ReadOnlySpan<byte> b) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
}
