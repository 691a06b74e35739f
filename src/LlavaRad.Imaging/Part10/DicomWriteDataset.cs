using System.Text;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// A data set to be written: elements kept in tag order, each a VR and its encoded value, or a sequence of items.
/// Strings are UTF-8 (the writer declares ISO_IR 192), padded to even length as PS3.5 6.2 requires.
/// </summary>
public sealed class DicomWriteDataset
{
    private readonly SortedDictionary<uint, WriteElement> _elements = [];

    internal IEnumerable<KeyValuePair<uint, WriteElement>> Elements => _elements;

    /// <summary>A string element; several values are joined with the backslash delimiter. No value writes it empty (Type 2).</summary>
    public DicomWriteDataset Add(uint tag, string vr, params string[] values)
    {
        var text = string.Join('\\', values);
        if (text.Contains('\0')) throw new ArgumentException($"{DicomTag.Format(tag)} value contains NUL", nameof(values));
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        _elements[tag] = new WriteElement(vr, bytes, null);
        return this;
    }

    /// <summary>Adds the element only when the value is known.</summary>
    public DicomWriteDataset AddIfPresent(uint tag, string vr, string? value) => value is null ? this : Add(tag, vr, value);

    public DicomWriteDataset AddUnsignedShort(uint tag, ushort value)
    {
        _elements[tag] = new WriteElement("US", BitConverter.GetBytes(value), null);
        return this;
    }

    /// <summary>A sequence; no items writes it empty (Type 2).</summary>
    public DicomWriteDataset AddSequence(uint tag, params DicomWriteDataset[] items)
    {
        _elements[tag] = new WriteElement("SQ", [], items);
        return this;
    }
}

internal sealed record WriteElement(string Vr, byte[] Value, IReadOnlyList<DicomWriteDataset>? Items);
