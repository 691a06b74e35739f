namespace LlavaRad.Worker.Pipeline;

/// <summary>What one drafted study produced, for observers (the demo's table): no patient data.</summary>
/// <param name="Image">The image chosen (file name or series/instance numbers).</param>
/// <param name="FindingsExcerpt">The start of the generated text.</param>
/// <param name="Target">"fhir", "local" or "shadow".</param>
public sealed record StudyDraft(string Image, string Urgency, string FindingsExcerpt, DraftLocation Draft, string Target);
