using System.Globalization;
using System.Text;
using LlavaRad.Findings;

namespace LlavaRad.Cli;

/// <summary>
/// The demo's final table: study, image chosen or reason, priority, and for the phantom studies the findings the
/// phantom drew beside those the draft states, with their agreement over the five drawn observations.
/// </summary>
public static class DemoTable
{
    /// <summary>One phantom study's comparison; null for the odd-format studies, which have no ground truth.</summary>
    public sealed record Agreement(IReadOnlySet<Observation> Expected, IReadOnlySet<Observation> Drafted)
    {
        public int Agreeing => PhantomStudies.Drawn.Count(o => Expected.Contains(o) == Drafted.Contains(o));
    }

    public static Agreement? Compare(DemoStudy row, IReadOnlyList<PhantomStudies.Case> cases) =>
        cases.FirstOrDefault(c => c.Folder == row.Study) is { } phantom && row.DraftFile is { } bundle
            ? new Agreement(phantom.Expected, PhantomStudies.Drafted(DraftBundleReader.Read(bundle).FindingsText))
            : null;

    public static string Render(IReadOnlyList<DemoStudy> rows, IReadOnlyList<PhantomStudies.Case> cases)
    {
        string[] header = ["study", "image chosen / reason", "priority", "expected (phantom)", "drafted", "agree", "findings (excerpt)", "time", "draft"];
        var compared = rows.Select(r => (Row: r, Agreement: Compare(r, cases))).ToList();
        var cells = compared.Select(c => new[]
        {
            c.Row.Study, c.Row.Image ?? c.Row.Outcome, c.Row.Priority ?? "-",
            c.Agreement is { } a ? PhantomStudies.Names(a.Expected) : "-",
            c.Agreement is { } b ? PhantomStudies.Names(b.Drafted) : "-",
            c.Agreement is { } d ? $"{d.Agreeing}/{PhantomStudies.Drawn.Length}" : "-",
            c.Row.Findings ?? "-",
            string.Create(CultureInfo.InvariantCulture, $"{c.Row.Elapsed.TotalSeconds:0.0} s"), c.Row.Draft ?? "-",
        }).ToList();
        var widths = Enumerable.Range(0, header.Length)
            .Select(i => Math.Min(40, cells.Select(c => c[i].Length).Append(header[i].Length).Max())).ToArray();
        var text = new StringBuilder();
        void Line(string[] values) => text.AppendLine(string.Join("  ", values.Select((v, i) => Fit(v, widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in cells) Line(row);
        var agreements = compared.Select(c => c.Agreement).OfType<Agreement>().ToList();
        if (agreements.Count > 0)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"phantom studies: {agreements.Sum(a => a.Agreeing)} of {agreements.Count * PhantomStudies.Drawn.Length} observations agree "
                + $"({string.Join(", ", PhantomStudies.Drawn.Select(o => o.DisplayName().ToLowerInvariant()))}); "
                + $"{agreements.Count(a => a.Agreeing == PhantomStudies.Drawn.Length)} of {agreements.Count} studies fully");
        return text.ToString().TrimEnd();
    }

    private static string Fit(string value, int width) =>
        value.Length > width ? value[..(width - 1)] + "…" : value.PadRight(width);
}
