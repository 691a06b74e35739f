using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Worker.Pipeline;

/// <summary>Where a draft went: a FHIR reference or a local file; <see cref="Created"/> is false for a re-run that found it.</summary>
public sealed record DraftLocation(string Location, bool Created);

/// <summary>Stage 7, write back. Every sink is idempotent on the draft's business identifier.</summary>
public interface IDraftSink
{
    Task<DraftLocation> WriteAsync(DraftReportRequest request, CancellationToken cancellationToken);
}
