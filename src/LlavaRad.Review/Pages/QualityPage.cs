using System.Text;
using LlavaRad.Findings;
using LlavaRad.Review.Agreement;
using static LlavaRad.Review.Pages.Html;

namespace LlavaRad.Review.Pages;

/// <summary>
/// Draft-vs-final agreement as server-side SVG: PPV and sensitivity per finding, agreement per finding over time
/// (cumulative PPV after each signed pair), and a histogram of normalised edit distances.
/// </summary>
internal static class QualityPage
{
    private const int Width = 640, BarHeight = 18, Bins = 10;

    public static string Render(AgreementReport report)
    {
        var called = report.Findings.Where(f => f.TruePositives + f.FalsePositives + f.FalseNegatives > 0).ToList();
        var table = string.Concat(called.Select(f =>
            $"<tr data-finding=\"{f.Finding}\"><td>{E(f.Finding.DisplayName())}</td><td>{f.TruePositives}</td><td>{f.FalsePositives}</td>" +
            $"<td>{f.FalseNegatives}</td><td data-role=\"ppv\">{Ratio(f.Ppv)}</td><td data-role=\"sensitivity\">{Ratio(f.Sensitivity)}</td></tr>"));
        return Page("Quality", $"""
            <h1>Draft vs final agreement</h1>
            <p>{report.Pairs.Count} signed pair(s). The same labeler reads the AI draft and the signed final; a finding is called when labelled positive.
            <a href="{ReviewPaths.QualityPairs}" download>Download the pairs (JSON lines, for llavarad eval)</a></p>
            <table class="worklist" data-role="agreement"><thead><tr><th>Finding</th><th>TP</th><th>FP</th><th>FN</th><th>PPV</th><th>Sensitivity</th></tr></thead>
            <tbody>{table}</tbody></table>
            <h2>PPV and sensitivity per finding</h2>
            {FindingBars(called)}
            <h2>Cumulative PPV per finding over time</h2>
            {OverTime(report)}
            <h2>Normalised edit distance, draft to final</h2>
            {Histogram(report.Pairs.Select(p => p.NormalisedEditDistance).ToList())}
            """, "worklist.js");
    }

    private static string FindingBars(IReadOnlyList<FindingAgreement> findings)
    {
        var svg = new StringBuilder($"<svg data-role=\"finding-bars\" width=\"{Width}\" height=\"{findings.Count * BarHeight * 2 + 20}\" role=\"img\">");
        for (var i = 0; i < findings.Count; i++)
        {
            var y = i * BarHeight * 2;
            svg.Append($"<text x=\"0\" y=\"{y + 13}\" font-size=\"12\">{E(findings[i].Finding.DisplayName())}</text>")
                .Append(Bar(y, findings[i].Ppv, "#1f77b4", "PPV")).Append(Bar(y + BarHeight, findings[i].Sensitivity, "#ff7f0e", "sensitivity"));
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Bar(int y, double? value, string colour, string label) =>
        $"<rect x=\"180\" y=\"{y + 2}\" width=\"{Number((value ?? 0) * 400)}\" height=\"{BarHeight - 4}\" fill=\"{colour}\"><title>{label} {Ratio(value)}</title></rect>" +
        $"<text x=\"{Number(185 + (value ?? 0) * 400)}\" y=\"{y + 13}\" font-size=\"11\">{label} {Ratio(value)}</text>";

    private static string OverTime(AgreementReport report)
    {
        const int height = 200;
        var pairs = report.Pairs.OrderBy(p => p.Pair.SignedAt).ToList();
        var svg = new StringBuilder($"<svg data-role=\"agreement-over-time\" width=\"{Width}\" height=\"{height + 20}\" role=\"img\">")
            .Append($"<line x1=\"40\" y1=\"{height}\" x2=\"{Width}\" y2=\"{height}\" stroke=\"#999\"/><text x=\"0\" y=\"12\" font-size=\"11\">PPV 1</text>");
        var colours = new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2" };
        var findings = ObservationNames.All.Where(o => pairs.Any(p => p.DraftPositive.Contains(o))).ToList();
        for (var f = 0; f < findings.Count; f++)
        {
            int tp = 0, fp = 0;
            var points = new List<string>();
            for (var i = 0; i < pairs.Count; i++)
            {
                if (!pairs[i].DraftPositive.Contains(findings[f])) continue;
                if (pairs[i].FinalPositive.Contains(findings[f])) tp++; else fp++;
                var x = 40 + (Width - 50) * (pairs.Count == 1 ? 1 : (double)i / (pairs.Count - 1));
                points.Add($"{Number(x)},{Number(height - height * (double)tp / (tp + fp))}");
            }
            var colour = colours[f % colours.Length];
            svg.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\">")
                .Append($"<title>{E(findings[f].DisplayName())}</title></polyline>")
                .Append(string.Concat(points.Select(p => p.Split(',')).Select(xy => $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{colour}\"/>")))
                .Append($"<text x=\"{Width - 120}\" y=\"{14 * (f + 1)}\" font-size=\"11\" fill=\"{colour}\">{E(findings[f].DisplayName())}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Histogram(IReadOnlyList<double> distances)
    {
        const int height = 160;
        var counts = new int[Bins];
        foreach (var d in distances) counts[Math.Min(Bins - 1, (int)(d * Bins))]++;
        var max = Math.Max(1, counts.Max());
        var svg = new StringBuilder($"<svg data-role=\"edit-distance-histogram\" width=\"{Width}\" height=\"{height + 30}\" role=\"img\">");
        for (var b = 0; b < Bins; b++)
        {
            var h = height * counts[b] / max;
            svg.Append($"<rect data-count=\"{counts[b]}\" x=\"{b * 60 + 20}\" y=\"{height - h}\" width=\"54\" height=\"{h}\" fill=\"#1f77b4\">")
                .Append($"<title>{Number(b / (double)Bins)}–{Number((b + 1) / (double)Bins)}: {counts[b]}</title></rect>")
                .Append($"<text x=\"{b * 60 + 20}\" y=\"{height + 15}\" font-size=\"11\">{Number(b / (double)Bins)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Ratio(double? value) => value is { } v ? Number(Math.Round(v, 3)) : "–";
}
