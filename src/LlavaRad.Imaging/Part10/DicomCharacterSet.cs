using System.Text;

namespace LlavaRad.Imaging.Part10;

/// <summary>
/// Text decoding by Specific Character Set (0008,0005). The default repertoire, ISO_IR 100 (Latin-1) and ISO_IR 192
/// (UTF-8) are supported; anything else decodes as Latin-1, which keeps ASCII right and never throws.
/// </summary>
public static class DicomCharacterSet
{
    public static Encoding FromSpecificCharacterSet(IReadOnlyList<string> terms)
    {
        // With ISO 2022 code extensions the first value may be empty (= default repertoire); use the first real term.
        var term = terms.FirstOrDefault(t => t.Length > 0) ?? "";
        return term switch
        {
            "ISO_IR 192" => Encoding.UTF8,
            _ => Encoding.Latin1, // default repertoire, ISO_IR 100 / ISO 2022 IR 100, and the unsupported rest
        };
    }
}
