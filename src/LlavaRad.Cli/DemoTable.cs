using System.Globalization;
using System.Text;

namespace LlavaRad.Cli;

/// <summary>The demo's final table: study, image chosen or reason, priority, findings excerpt, time.</summary>
public static class DemoTable
{
    public static string Render(IReadOnlyList<DemoStudy> rows)
    {
        string[] header = ["study", "image chosen / reason", "priority", "findings (excerpt)", "time", "draft"];
        var cells = rows.Select(r => new[]
        {
            r.Study, r.Image ?? r.Outcome, r.Priority ?? "-", r.Findings ?? "-",
            string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalSeconds:0.0} s"), r.Draft ?? "-",
        }).ToList();
        var widths = Enumerable.Range(0, header.Length)
            .Select(i => Math.Min(48, cells.Select(c => c[i].Length).Append(header[i].Length).Max())).ToArray();
        var text = new StringBuilder();
        void Line(string[] values) => text.AppendLine(string.Join("  ", values.Select((v, i) => Fit(v, widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in cells) Line(row);
        return text.ToString().TrimEnd();
    }

    private static string Fit(string value, int width) =>
        value.Length > width ? value[..(width - 1)] + "…" : value.PadRight(width);
}
