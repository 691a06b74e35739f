namespace LlavaRad.Imaging.Grayscale;

/// <summary>
/// A Modality or VOI LUT from a sequence item (PS3.3 C.11.1.1.1 / C.11.2.1.1): LUT Descriptor (entries, first mapped
/// input value, bits per entry) and LUT Data. Inputs below the first entry take the first value, above the last the last.
/// </summary>
public sealed class LookupTable
{
    private readonly int[] _values;

    private LookupTable(int firstMapped, int bits, int[] values)
    {
        FirstMapped = firstMapped;
        Bits = bits;
        _values = values;
    }

    public int FirstMapped { get; }
    public int Bits { get; }
    public int Count => _values.Length;

    /// <summary>The largest value an entry can hold, 2^bits - 1: the top of the LUT's output range.</summary>
    public int MaxOutput => (1 << Bits) - 1;

    public int this[double input]
    {
        get
        {
            var index = (long)Math.Floor(input) - FirstMapped;
            return _values[index < 0 ? 0 : index >= _values.Length ? _values.Length - 1 : (int)index];
        }
    }

    /// <summary>Null when the item is incomplete or inconsistent; the caller then moves to the next VOI option.</summary>
    public static LookupTable? FromItem(IDicomAttributes item, bool signedInput)
    {
        var descriptor = item.GetWords(DicomTag.LutDescriptor);
        var data = item.GetWords(DicomTag.LutData);
        if (descriptor is not { Length: 3 } || data is null || data.Length == 0) return null;
        var count = descriptor[0] == 0 ? 65536 : descriptor[0];
        int first = signedInput ? (short)descriptor[1] : descriptor[1];
        var bits = descriptor[2];
        if (bits is < 1 or > 16) return null;
        int[] values;
        if (data.Length >= count) values = data.Take(count).Select(v => (int)v).ToArray();
        else if (bits <= 8 && data.Length * 2 >= count)
            values = Enumerable.Range(0, count).Select(i => (int)(i % 2 == 0 ? data[i / 2] & 0xFF : data[i / 2] >> 8)).ToArray(); // 8-bit entries packed two per word
        else return null;
        return new LookupTable(first, bits, values);
    }
}
