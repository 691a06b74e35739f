using System.Text;

namespace LlavaRad.Hl7v2;

/// <summary>ER7 encoding with the default delimiters |^~\&amp; (HL7 v2.5.1 chapter 2.7).</summary>
public static class Er7
{
    public const char SegmentTerminator = '\r';

    /// <summary>Escapes the delimiters and the escape character itself (2.7.4), and folds line breaks to spaces.</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
            builder.Append(c switch
            {
                '\\' => @"\E\",
                '|' => @"\F\",
                '^' => @"\S\",
                '&' => @"\T\",
                '~' => @"\R\",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        return builder.ToString();
    }

    /// <summary>Components joined with ^, each escaped; trailing empty components dropped.</summary>
    public static string Components(params string?[] components) => string.Join('^', components.Select(Escape)).TrimEnd('^');

    /// <summary>A segment: its name then fields (already escaped) joined with |, trailing empty fields dropped.</summary>
    public static string Segment(string name, params string[] fields) => (name + "|" + string.Join('|', fields)).TrimEnd('|');

    /// <summary>The fields of one segment of a message (index 0 = segment name); MSH's field 1 is the separator itself.</summary>
    public static string[]? FindSegment(string message, string name)
    {
        foreach (var segment in message.Split(SegmentTerminator, '\n'))
            if (segment.StartsWith(name + "|", StringComparison.Ordinal)) return segment.Split('|');
        return null;
    }
}
