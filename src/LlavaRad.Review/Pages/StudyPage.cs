using LlavaRad.Fhir.WriteBack;
using LlavaRad.Review.Drafts;
using LlavaRad.Review.SignOff;
using static LlavaRad.Review.Pages.Html;

namespace LlavaRad.Review.Pages;

/// <summary>
/// One draft: the banner, the exact 8-bit image the model saw with zoom, window and the attention heatmap, the
/// highlighted draft text with the urgency rule and model identity, and the sign and reject forms.
/// </summary>
internal static class StudyPage
{
    public static string Render(ReviewEntry entry, string antiforgeryField, string antiforgeryToken, string? error)
    {
        var draft = entry.Draft;
        var model = draft.Model;
        var closed = entry.State.Status.IsClosed();
        var chips = string.Concat(draft.Findings.Select(f =>
            $"<span class=\"chip {f.Certainty.ToString().ToLowerInvariant()}\" data-finding=\"{E(f.Finding.Code)}\">{E(f.Finding.Display)}</span>"));
        var heatmap = entry.HeatmapGrid is null
            ? "<p class=\"note\" data-role=\"heatmap-note\">The inference node sent no attention map for this draft.</p>"
            : "";
        var token = $"<input type=\"hidden\" name=\"{E(antiforgeryField)}\" value=\"{E(antiforgeryToken)}\">";
        var reasons = string.Concat(ReviewCodes.RejectReasons.Select(r => $"<option value=\"{r.Key}\">{E(r.Value)}</option>"));
        var forms = closed ? $"<p class=\"closed\" data-role=\"review-outcome\">This draft is {entry.State.Status.ToText().Replace('-', ' ')}" +
                             (entry.State.Reason is { } reason ? $" ({E(reason)})" : "") + ".</p>" : $"""
            <form method="post" action="{ReviewPaths.Sign(entry.Id)}" class="sign">
              {token}
              <label for="final-text">Final report</label>
              <textarea id="final-text" name="finalText" data-role="final-text" rows="10">{E(entry.State.FinalText ?? draft.FindingsText)}</textarea>
              <button type="submit" data-action="sign">Sign final report</button>
            </form>
            <form method="post" action="{ReviewPaths.Reject(entry.Id)}" class="reject">
              {token}
              <label>Reason <select name="reason" required><option value="">choose…</option>{reasons}</select></label>
              <button type="submit" data-action="reject">Reject draft</button>
            </form>
            """;
        return Page("Study", $"""
            <div class="banner" data-role="ai-banner">Unreviewed AI draft — not a diagnosis until a radiologist signs it.</div>
            {(error is null ? "" : $"<p class=\"error\" data-role=\"error\">{E(error)}</p>")}
            <article class="study" data-review-id="{entry.Id}" data-study-uid="{E(draft.Study.StudyInstanceUid)}"
                     data-priority="{WorklistPage.Priority(draft.Urgency)}" data-status="{entry.State.Status.ToText()}">
              <section class="viewer">
                <div class="controls">
                  <label>Zoom <input type="range" min="1" max="4" step="0.25" value="1" data-control="zoom"></label>
                  <label>Window level <input type="range" min="0" max="255" value="128" data-control="level"></label>
                  <label>Window width <input type="range" min="16" max="255" value="255" data-control="width"></label>
                  <label><input type="checkbox" checked data-control="heatmap"> Heatmap</label>
                  <label>Opacity <input type="range" min="0" max="1" step="0.05" value="0.45" data-control="opacity"></label>
                </div>
                <svg class="defs" aria-hidden="true" width="0" height="0"><filter id="window" color-interpolation-filters="sRGB">
                  <feComponentTransfer><feFuncR type="linear" slope="1" intercept="0"/><feFuncG type="linear" slope="1" intercept="0"/>
                  <feFuncB type="linear" slope="1" intercept="0"/></feComponentTransfer></filter></svg>
                <div class="frame" data-role="frame">
                  <img data-role="frontal" src="{ReviewPaths.Frontal(entry.Id)}" alt="Frontal chest radiograph the model saw (8-bit)">
                  <canvas data-role="heatmap" data-src="{ReviewPaths.Heatmap(entry.Id)}"></canvas>
                </div>
                {heatmap}
              </section>
              <section class="draft">
                <h2>AI draft findings</h2>
                <div class="chips">{chips}</div>
                <div class="draft-text" data-role="draft-text">{DraftHighlighter.Render(draft.FindingsText)}</div>
                <dl class="facts">
                  <dt>Urgency</dt><dd data-role="urgency">{WorklistPage.Priority(draft.Urgency)} — rule <code>{E(entry.UrgencyRule)}</code></dd>
                  <dt>Model</dt><dd data-role="model">{E(model.Name)} (id {E(model.Id)}, version {E(model.Version)})</dd>
                  <dt>Weights SHA-256</dt><dd><code data-role="weights-sha256">{E(model.WeightsSha256)}</code></dd>
                  <dt>Study</dt><dd>{E(entry.StudyDescription)}</dd>
                </dl>
                {forms}
              </section>
            </article>
            """, "study.js");
    }

    public static string Error(string code, string message) =>
        Page("Error", $"<p class=\"error\" data-role=\"error\" data-code=\"{E(code)}\">{E(code)}: {E(message)}</p>", "worklist.js");
}
