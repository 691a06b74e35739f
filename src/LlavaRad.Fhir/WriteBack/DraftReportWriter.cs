using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Task = Hl7.Fhir.Model.Task;

namespace LlavaRad.Fhir.WriteBack;

/// <summary>What a write did: created the draft now, or found it already there (a re-run).</summary>
public sealed record DraftWriteResult(string ReportReference, bool Created, IReadOnlyList<string> Superseded);

/// <summary>
/// Writes one AI draft as one transaction, idempotently: one writer per idempotency key in this process, a check
/// for an existing draft, then conditional creates. Older drafts of the same study and model are cancelled in the
/// same transaction (If-Match), and the new Provenance links them.
/// </summary>
public sealed class DraftReportWriter(FhirStore store, KeyedLock locks, IOptions<WriteBackOptions> options, ILogger<DraftReportWriter> logger)
{
    private const int ConflictAttempts = 3;
    private readonly DraftBundleBuilder _builder = new(options.Value);

    public async Task<DraftWriteResult> WriteAsync(DraftReportRequest request, CancellationToken cancellationToken = default)
    {
        var keys = new DraftKeys(request, options.Value);
        using var _ = await locks.AcquireAsync(keys.Key, cancellationToken);

        var existing = await store.SearchByIdentifierAsync<DiagnosticReport>(keys.ReportSystem, keys.Key, cancellationToken);
        if (existing.Count > 1)
            throw new FhirStoreException(FhirStoreException.MultipleMatches, "FHIR write-back: several drafts carry one idempotency key");
        if (existing.Count == 1)
        {
            logger.LogInformation("Draft {DraftKey} already written; nothing to do", Short(keys.Key));
            return new DraftWriteResult($"DiagnosticReport/{existing[0].Id}", Created: false, []);
        }

        for (var attempt = 1; ; attempt++)
        {
            var superseded = await FindSupersededAsync(keys, cancellationToken);
            try
            {
                var transaction = _builder.Build(request, keys, superseded);
                var response = await store.TransactionAsync(transaction, cancellationToken);
                var (report, created) = NewReport(transaction, response);
                logger.LogInformation("Draft {DraftKey} {Outcome}, superseding {Count} older draft(s)",
                    Short(keys.Key), created ? "written" : "found (written by another process)", superseded.Count);
                return new DraftWriteResult(report, created, superseded.Select(s => $"DiagnosticReport/{s.Report.Id}").ToList());
            }
            catch (FhirStoreException e) when (e.Code == FhirStoreException.Conflict && attempt < ConflictAttempts)
            {
                // An older draft changed between our read and the If-Match update: read again, rebuild, retry.
                logger.LogWarning("Draft {DraftKey}: conflict on attempt {Attempt}; re-reading older drafts", Short(keys.Key), attempt);
            }
        }
    }

    private async Task<List<SupersededDraft>> FindSupersededAsync(DraftKeys keys, CancellationToken cancellationToken)
    {
        var line = await store.SearchByIdentifierAsync<DiagnosticReport>(keys.StudyLineSystem, keys.StudyLine, cancellationToken);
        var older = new List<SupersededDraft>();
        foreach (var report in line.Where(r => r.Status == DiagnosticReport.DiagnosticReportStatus.Preliminary))
        {
            var oldKey = report.Identifier.FirstOrDefault(i => i.System == keys.ReportSystem)?.Value;
            if (oldKey is null || oldKey == keys.Key) continue;
            var tasks = await store.SearchByIdentifierAsync<Task>(keys.TaskSystem, oldKey, cancellationToken);
            var openTask = tasks.FirstOrDefault(t => t.Status is Task.TaskStatus.Requested or Task.TaskStatus.Ready);
            older.Add(new SupersededDraft(report, openTask, store.Endpoint) { Findings = await FindingsOfAsync(report, cancellationToken) });
        }
        return older;
    }

    /// <summary>The report's standalone findings that are still preliminary (contained ones go with the report).</summary>
    private async Task<List<Observation>> FindingsOfAsync(DiagnosticReport report, CancellationToken cancellationToken)
    {
        var findings = new List<Observation>();
        foreach (var reference in report.Result.Select(r => r.Reference).Where(r => r?.StartsWith("Observation/", StringComparison.Ordinal) == true))
        {
            var finding = await store.ReadAsync<Observation>(reference!, cancellationToken);
            if (finding.Status == ObservationStatus.Preliminary) findings.Add(finding);
        }
        return findings;
    }

    /// <summary>Transaction responses answer entry by entry, in request order; 201 = created now, 200 = the conditional create matched.</summary>
    private static (string Reference, bool Created) NewReport(Bundle transaction, Bundle response)
    {
        var index = transaction.Entry.FindIndex(e => e.Resource is DiagnosticReport && e.Request?.Method == Bundle.HTTPVerb.POST);
        var answer = index < response.Entry.Count ? response.Entry[index].Response : null;
        var location = answer?.Location;
        var parts = location?.Split('/') ?? [];
        var at = Array.IndexOf(parts, "DiagnosticReport");
        if (at < 0 || at + 1 >= parts.Length)
            throw new FhirStoreException(FhirStoreException.ServerError, "FHIR write-back: transaction response lacks the report's location");
        return ($"DiagnosticReport/{parts[at + 1]}", answer!.Status?.StartsWith("201", StringComparison.Ordinal) == true);
    }

    // The key is a hash, not PHI; the first 12 hex digits are enough to correlate log lines.
    private static string Short(string key) => key[..12];
}
