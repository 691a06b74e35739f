using System.Security.Cryptography;
using System.Text;

namespace LlavaRad.Fhir.WriteBack;

/// <summary>
/// The business identifiers of one draft. All derive from the idempotency key, a hash of (StudyInstanceUID,
/// model id, model version, pipeline version), so re-running a study gives the same identifiers and carries no
/// patient data in them. <see cref="StudyLine"/> is shared by every draft of the study from the same model, so
/// older versions can be found and superseded.
/// </summary>
public sealed class DraftKeys
{
    public DraftKeys(DraftReportRequest request, WriteBackOptions options)
    {
        var uid = request.Study.StudyInstanceUid;
        Key = Hash(uid, request.Model.Id, request.Model.Version, request.PipelineVersion);
        StudyLine = Hash(uid, request.Model.Id);
        var root = options.IdentifierSystemBase.TrimEnd('/', ':');
        var separator = root.StartsWith("urn:", StringComparison.Ordinal) ? ":" : "/";
        ReportSystem = $"{root}{separator}ai-cxr-draft";
        StudyLineSystem = $"{root}{separator}ai-cxr-draft-study";
        ObservationSystem = $"{root}{separator}ai-cxr-finding";
        TaskSystem = $"{root}{separator}ai-cxr-review-task";
        ProvenanceTagSystem = $"{root}{separator}ai-cxr-provenance";
        WeightsSystem = $"{root}{separator}model-weights-sha256";
        WeightsSha256 = request.Model.WeightsSha256.ToLowerInvariant();
    }

    /// <summary>The idempotency key: one draft, one writer, one set of resources.</summary>
    public string Key { get; }
    public string StudyLine { get; }

    public string ReportSystem { get; }
    public string StudyLineSystem { get; }
    public string ObservationSystem { get; }
    public string TaskSystem { get; }
    /// <summary>R4 Provenance has no identifier: its key travels as a meta.tag and is searched with _tag.</summary>
    public string ProvenanceTagSystem { get; }
    public string WeightsSystem { get; }
    public string WeightsSha256 { get; }

    public string ObservationValue(CodedConcept finding) => Hash(Key, finding.System, finding.Code);

    private static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
