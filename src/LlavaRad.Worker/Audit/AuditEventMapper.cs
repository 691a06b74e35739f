using Hl7.Fhir.Model;

namespace LlavaRad.Worker.Audit;

/// <summary>
/// An <see cref="AuditRecord"/> as a FHIR R4 AuditEvent in the IHE Basic Audit Log Patterns style: type rest,
/// subtype the interaction, agent = this service (a Device, the requestor) and the server it called, entity = the
/// resource or study (plus the patient, when known), outcome 0 (success) or 8 (serious failure) with the code.
/// </summary>
public sealed class AuditEventMapper(AuditOptions options)
{
    private const string DicomUid = "urn:dicom:uid";

    public AuditEvent Map(AuditRecord record)
    {
        var audit = new AuditEvent
        {
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Subtype = [new Coding("http://hl7.org/fhir/restful-interaction", record.Subtype, record.Subtype)],
            Action = record.Action switch
            {
                AuditActions.Create => AuditEvent.AuditEventAction.C,
                AuditActions.Read => AuditEvent.AuditEventAction.R,
                _ => AuditEvent.AuditEventAction.E,
            },
            Recorded = record.Recorded,
            Outcome = record.FailureCode is null ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N8,
            OutcomeDesc = record.FailureCode,
            Agent =
            [
                new AuditEvent.AgentComponent
                {
                    Type = new CodeableConcept("http://dicom.nema.org/resources/ontology/DCM", "110153", "Source Role ID"),
                    Who = new ResourceReference { Identifier = new Identifier(options.AgentSystem, options.AgentValue), Display = options.AgentName, Type = "Device" },
                    Requestor = true,
                },
                new AuditEvent.AgentComponent
                {
                    Type = new CodeableConcept("http://dicom.nema.org/resources/ontology/DCM", "110152", "Destination Role ID"),
                    Who = new ResourceReference { Display = record.Server },
                    Requestor = false,
                    Network = new AuditEvent.NetworkComponent { Address = record.Server, Type = AuditEvent.AuditEventAgentNetworkType.N5 },
                },
            ],
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Identifier = new Identifier(options.AgentSystem, options.AgentValue), Type = "Device" },
                Type = [new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")],
            },
            Entity = [Entity(record.Entity)],
        };
        if (record.User is { } user)
        {
            // A person acted through the review app: they are the requestor, the service only relays.
            audit.Agent[0].Requestor = false;
            audit.Agent.Insert(0, new AuditEvent.AgentComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user"),
                Who = user.Contains('|') ? new ResourceReference { Identifier = new Identifier(user.Split('|')[0], user.Split('|')[1]) } : new ResourceReference(user),
                Requestor = true,
            });
        }
        if (record.Patient is { } patient)
            audit.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference(patient),
                Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            });
        return audit;
    }

    private static AuditEvent.EntityComponent Entity(string entity) => entity.StartsWith("urn:oid:", StringComparison.Ordinal)
        ? new AuditEvent.EntityComponent
        {
            What = new ResourceReference { Identifier = new Identifier(DicomUid, entity), Display = "DICOM study" },
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
            Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "3", "Report"),
        }
        : new AuditEvent.EntityComponent
        {
            What = new ResourceReference(entity),
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
            Role = new Coding("http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"),
        };
}
