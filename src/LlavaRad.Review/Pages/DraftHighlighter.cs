using System.Text;
using LlavaRad.Findings;
using static LlavaRad.Review.Pages.Html;

namespace LlavaRad.Review.Pages;

/// <summary>
/// The draft text as HTML with each labelled finding's evidence sentence marked, using the same labeler the worker
/// triaged with, so what is highlighted is what set the findings and the urgency.
/// </summary>
internal static class DraftHighlighter
{
    private static readonly FindingsLabeler Labeler = new();

    public static string Render(string text)
    {
        var marks = Labeler.Label(text).Mentioned
            .Where(l => l.Status is FindingStatus.Positive or FindingStatus.Uncertain && !string.IsNullOrEmpty(l.EvidenceSentence))
            .Select(l => (Label: l, Start: text.IndexOf(l.EvidenceSentence!, StringComparison.Ordinal)))
            .Where(m => m.Start >= 0)
            .OrderBy(m => m.Start)
            .ToList();
        var html = new StringBuilder();
        var at = 0;
        foreach (var (label, start) in marks)
        {
            if (start < at) continue; // a second finding in a sentence already marked: its chip still names it
            var end = start + label.EvidenceSentence!.Length;
            html.Append(E(text[at..start]))
                .Append($"<mark class=\"{label.Status.Word()}\" data-finding=\"{label.Observation}\" title=\"{E(label.Observation.DisplayName())} ({label.Status.Word()})\">")
                .Append(E(text[start..end])).Append("</mark>");
            at = end;
        }
        return html.Append(E(text[at..])).ToString();
    }
}
