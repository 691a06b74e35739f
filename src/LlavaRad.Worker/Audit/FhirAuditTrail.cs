using LlavaRad.Fhir;

namespace LlavaRad.Worker.Audit;

/// <summary>Creates each AuditEvent on the FHIR server (the EHR's audit repository).</summary>
public sealed class FhirAuditTrail(FhirStore store, AuditEventMapper mapper) : IAuditTrail
{
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken) =>
        store.CreateAsync(mapper.Map(record), cancellationToken);
}

/// <summary>Audit switched off ("Audit:Sink" none), e.g. where the EHR audits the calls itself.</summary>
public sealed class NoAuditTrail : IAuditTrail
{
    public Task WriteAsync(AuditRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
}
