using Hl7.Fhir.Model;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Options;
using LlavaRad.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Sources;

/// <summary>
/// Turns "ImagingStudy/id changed" (from the notification endpoint or the poll) into a pending study: reads the
/// study, its order's priority and its encounter's class, and counts its instances for the stability gate.
/// A study that can never be drafted (no UID, deleted) is logged with its code and dropped here, so it does not
/// block the poll or make the EHR resend forever; a peer failure propagates, so the event is retried.
/// </summary>
public sealed class FhirStudyIntake(ImagingStudyReader reader, FhirStore store, StudyStabilityGate gate,
    IOptions<StudySourcesOptions> options, WorkerMetrics metrics, ILogger<FhirStudyIntake> logger) : IStudyEventQueue
{
    public async ValueTask EnqueueAsync(StudyEvent studyEvent, CancellationToken cancellationToken)
    {
        var source = studyEvent.Source is "rest-hook" or "backport" ? "fhir-notification" : "fhir-poll";
        var sourceDefault = source == "fhir-notification"
            ? options.Value.FhirNotifications.DefaultPriority
            : options.Value.FhirPoll.DefaultPriority;
        StudyIntake intake;
        try
        {
            intake = await reader.ReadAsync(studyEvent.ImagingStudy, cancellationToken);
        }
        catch (FhirStoreException e) when (e.Code is FhirStoreException.IncompleteResource or FhirStoreException.NotFound)
        {
            metrics.RecordSourceEvent(source, "skipped");
            SourceLog.EventSkipped(logger, studyEvent.ImagingStudy, source, e.Code);
            return;
        }

        var encounterClass = await EncounterClassAsync(intake.Encounter ?? intake.Order?.Encounter, cancellationToken);
        var priority = StudyPriorities.Decide(intake.Order?.Priority, encounterClass, sourceDefault);
        var instances = intake.Series.Sum(s => s.Instances.Count);
        await gate.ObserveAsync(new StudySubmission(intake.StudyInstanceUid, priority,
            new StudyOrigin(StudyOriginKinds.Fhir, intake.ImagingStudy), source), instances, cancellationToken);
    }

    private async Task<string?> EncounterClassAsync(string? reference, CancellationToken cancellationToken)
    {
        if (reference is null || !reference.StartsWith("Encounter/", StringComparison.Ordinal)) return null;
        try
        {
            return (await store.ReadAsync<Encounter>(reference, cancellationToken)).Class?.Code;
        }
        catch (FhirStoreException e) when (e.Code == FhirStoreException.NotFound)
        {
            return null; // a dangling encounter leaves the order's priority to decide
        }
    }
}
