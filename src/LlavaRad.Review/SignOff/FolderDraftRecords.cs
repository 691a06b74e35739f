using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Review.Drafts;
using Microsoft.Extensions.Options;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Review.SignOff;

/// <summary>
/// The demo's drafts: the local transaction bundle the worker wrote, and the review's own transactions written
/// beside it into the output folder (final-*.json, rejected-*.json, opened-*.json) for an EHR to post later.
/// The bundles refer to the draft's resources conditionally, by their business identifiers.
/// </summary>
public sealed class FolderDraftRecords(IOptions<ReviewOptions> review, IOptions<WriteBackOptions> writeBack) : IDraftRecords
{
    private readonly FhirJsonDeserializer _reader = new();
    private readonly FhirJsonSerializer _writer = new();

    public async Task<DraftResources> LoadAsync(ReviewEntry entry, CancellationToken cancellationToken)
    {
        if (!File.Exists(entry.DraftReference))
            throw new ReviewException("draft-bundle-missing", "the draft's local bundle is no longer in the draft folder", 410);
        var bundle = _reader.Deserialize<Bundle>(await File.ReadAllTextAsync(entry.DraftReference, cancellationToken));
        var report = bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>().FirstOrDefault();
        var task = bundle.Entry.Select(e => e.Resource).OfType<Task>().FirstOrDefault();
        if (report is null || task is null)
            throw new ReviewException("draft-bundle-invalid", "the draft's local bundle lacks its report or review Task", 422);
        var keys = new DraftKeys(entry.Draft, writeBack.Value);
        return new DraftResources(report, Conditional("DiagnosticReport", keys.ReportSystem, keys.Key), task,
            Conditional("Task", keys.TaskSystem, keys.Key), Conditional("Device", keys.WeightsSystem, keys.WeightsSha256), null, null, null);
    }

    public async Task<string> SubmitAsync(ReviewEntry entry, string action, Bundle transaction, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(review.Value.OutputFolder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{action}-{entry.Id}.json");
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, _writer.SerializeToString(transaction), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static string Conditional(string type, string system, string value) =>
        $"{type}?{FhirSearch.Identifier(system, value).QueryString()}";
}
