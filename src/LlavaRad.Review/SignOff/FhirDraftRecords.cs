using Hl7.Fhir.Model;
using LlavaRad.Fhir;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Review.Drafts;
using Microsoft.Extensions.Options;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Review.SignOff;

/// <summary>The draft on the EHR's FHIR server: read by reference and business identifier, written by transaction.</summary>
public sealed class FhirDraftRecords(FhirStore store, IOptions<WriteBackOptions> options) : IDraftRecords
{
    public async Task<DraftResources> LoadAsync(ReviewEntry entry, CancellationToken cancellationToken)
    {
        var keys = new DraftKeys(entry.Draft, options.Value);
        try
        {
            var report = await store.ReadAsync<DiagnosticReport>(entry.DraftReference, cancellationToken);
            var task = (await store.SearchByIdentifierAsync<Task>(keys.TaskSystem, keys.Key, cancellationToken)).SingleOrDefault()
                ?? throw new ReviewException("review-task-missing", "the draft's review Task is not on the FHIR server");
            var device = (await store.SearchByIdentifierAsync<Device>(keys.WeightsSystem, keys.WeightsSha256, cancellationToken)).FirstOrDefault()
                ?? throw new ReviewException("ai-device-missing", "the AI Device of the draft is not on the FHIR server");
            return new DraftResources(report, entry.DraftReference, task, $"Task/{task.Id}", $"Device/{device.Id}",
                report.Meta?.VersionId, task.Meta?.VersionId, store.Endpoint);
        }
        catch (FhirStoreException e)
        {
            throw new ReviewException(e.Code, $"reading the draft failed: {e.Message}", 502, e);
        }
    }

    public async Task<string> SubmitAsync(ReviewEntry entry, string action, Bundle transaction, CancellationToken cancellationToken)
    {
        Bundle response;
        try
        {
            response = await store.TransactionAsync(transaction, cancellationToken);
        }
        catch (FhirStoreException e)
        {
            // A conflict means someone else changed the Task or draft since it was read (If-Match).
            throw new ReviewException(e.Code, $"the FHIR server refused the {action}: {e.Message}", e.Code == FhirStoreException.Conflict ? 409 : 502, e);
        }
        var index = transaction.Entry.FindIndex(e => e.Resource is DiagnosticReport);
        var location = index >= 0 && index < response.Entry.Count ? response.Entry[index].Response?.Location : null;
        var parts = location?.Split('/') ?? [];
        var at = Array.IndexOf(parts, "DiagnosticReport");
        return at >= 0 && at + 1 < parts.Length ? $"DiagnosticReport/{parts[at + 1]}" : entry.DraftReference;
    }
}
