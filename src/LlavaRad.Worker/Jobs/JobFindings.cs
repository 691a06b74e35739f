using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Worker.Jobs;

/// <summary>
/// What inference produced for a job, kept so a retried job (a sink that failed) drafts the same report without
/// asking the node again: the text and token log-probabilities the labeler reads, the model identity the node
/// reported (it is in the draft keys), and when it was generated (the draft's issued time). PHI-bearing: the text.
/// </summary>
public sealed record JobFindings(string Text, IReadOnlyList<double> TokenLogProbabilities, ModelIdentity Model, DateTimeOffset GeneratedAt);
