using System.Text.Json;
using LlavaRad.Findings;

namespace LlavaRad.CheXbert;

/// <summary>
/// One `llavarad label --labeler chexbert` output line: {observation: "positive"|"negative"|"uncertain"|"blank"}, as
/// the rule-based labeler writes it; with logits, {"labels": {…}, "logits": {observation: [class 0..3 logits]}}.
/// </summary>
public static class CheXbertLabelLine
{
    public static string Json(CheXbertResult result, bool withLogits)
    {
        var classes = result.Classes;
        var labels = ObservationNames.All.ToDictionary(o => o.DisplayName(), o => ((FindingStatus)classes[(int)o]).Word());
        if (!withLogits) return JsonSerializer.Serialize(labels);
        var logits = ObservationNames.All.ToDictionary(o => o.DisplayName(), o => result.Logits[(int)o]);
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["labels"] = labels, ["logits"] = logits });
    }
}
