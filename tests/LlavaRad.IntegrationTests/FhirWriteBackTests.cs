using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.WriteBack;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.IntegrationTests;

/// <summary>The whole write-back against the real FHIR test server: intake, one transaction, idempotency, superseding.</summary>
[Collection(PeersCollection.Name)]
public sealed class FhirWriteBackTests(Peers peers) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = peers.FhirUrl };
    private readonly WriteBackOptions _options = new();

    public void Dispose() => _http.Dispose();

    private FhirStore Store => new(_http);
    private DraftReportWriter NewWriter(KeyedLock? locks = null) =>
        new(Store, locks ?? new KeyedLock(), Options.Create(_options), NullLogger<DraftReportWriter>.Instance);

    [Fact]
    public async Task IntakeReadsTheStudyOrderAndDicomWebEndpoint()
    {
        var sample = await FreshSampleStudy.LoadAsync(Store);

        var intake = await new ImagingStudyReader(Store).ReadAsync(sample.ImagingStudyReference);

        Assert.Equal(sample.StudyInstanceUid, intake.StudyInstanceUid);
        Assert.StartsWith("Patient/", intake.Patient);
        Assert.Equal((string?)sample.Endpoint["address"], intake.DicomWebBase?.ToString().TrimEnd('/'));
        Assert.Equal((string?)sample.Order["code"]!["coding"]![0]!["code"], intake.Order?.Code?.Code);
        Assert.Equal((string?)sample.Order["priority"], intake.Order?.Priority);
        Assert.Contains((string)sample.Order["reasonCode"]![0]!["text"]!, intake.IndicationText);
        Assert.Contains((string)sample.Order["note"]![0]!["text"]!.GetValue<string>().TrimEnd('.'), intake.IndicationText);
        var series = Assert.Single(intake.Series);
        Assert.Equal((string?)sample.Study["series"]![0]!["uid"], series.Uid);
        Assert.Equal("DX", series.Modality);
        Assert.Equal((string?)sample.Study["series"]![0]!["instance"]![0]!["uid"], Assert.Single(series.Instances).SopInstanceUid);
    }

    [Fact]
    public async Task FullTransactionWritesReportFindingsTaskProvenanceAndDevice()
    {
        var request = await RequestForFreshStudyAsync("1.0.0");
        var keys = new DraftKeys(request, _options);

        var result = await NewWriter().WriteAsync(request);

        Assert.True(result.Created);
        var report = Assert.Single(await Store.SearchByIdentifierAsync<DiagnosticReport>(keys.ReportSystem, keys.Key));
        Assert.Equal(result.ReportReference, $"DiagnosticReport/{report.Id}");
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
        Assert.Equal(request.Study.ServiceRequest, Assert.Single(report.BasedOn).Reference);
        Assert.Equal(request.Study.ImagingStudy, Assert.Single(report.ImagingStudy).Reference);
        Assert.Contains(report.Meta!.Security, c => c.Code == "AIAST");
        Assert.Equal(2, report.PresentedForm.Count);
        Assert.Equal(2, report.Result.Count);

        Assert.Empty(report.Contained);
        var observations = new List<Observation>();
        foreach (var entry in report.Result) observations.Add(await Store.ReadAsync<Observation>(entry.Reference!));
        Assert.Equal(2, observations.Count);
        Assert.All(observations, o =>
        {
            Assert.Equal(request.Study.ImagingStudy, Assert.Single(o.DerivedFrom).Reference);
            Assert.Equal(ObservationStatus.Preliminary, o.Status);
            Assert.Contains(o.Meta!.Security, c => c.Code == "AIAST");
        });
        Assert.StartsWith("Device/", observations[0].Device!.Reference); // the bundle's urn:uuid was resolved in the finding
        var device = await Store.ReadAsync<Device>(observations[0].Device!.Reference!);
        Assert.Equal(request.Model.WeightsSha256, Assert.Single(device.Identifier).Value);
        Assert.Equal(request.Model.Version, Assert.Single(device.Version).Value);

        var task = Assert.Single(await Store.SearchByIdentifierAsync<Hl7.Fhir.Model.Task>(keys.TaskSystem, keys.Key));
        Assert.Equal(RequestPriority.Urgent, task.Priority);
        Assert.Equal(result.ReportReference, task.Focus!.Reference);
        Assert.Equal(request.Study.ServiceRequest, Assert.Single(task.BasedOn).Reference);

        var provenance = Assert.Single(await SearchAsync<Provenance>($"_tag={keys.ProvenanceTagSystem}|{keys.Key}"));
        var targets = provenance.Target.Select(t => t.Reference).ToHashSet();
        Assert.Contains(result.ReportReference, targets);
        Assert.Contains($"Task/{task.Id}", targets);
        Assert.All(observations, o => Assert.Contains($"Observation/{o.Id}", targets));
        Assert.Equal($"Device/{device.Id}", provenance.Agent[0].Who.Reference);
    }

    [Fact]
    public async Task AnObservationSearchByCodeAndPatientFindsTheDraftsFindings()
    {
        var request = await RequestForFreshStudyAsync("1.0.0");

        var result = await NewWriter().WriteAsync(request);

        // What an EHR or a reviewer's app asks: the patient's pleural effusions (SNOMED CT), and all of this study's findings.
        // (Every fresh sample study belongs to the same sample patient, so the study narrows it to this draft.)
        var effusions = await Store.SearchAsync<Observation>(new SearchParams()
            .Add("code", "http://snomed.info/sct|60046008").Add("subject", request.Study.Patient));
        var finding = Assert.Single(effusions, o => o.DerivedFrom.Any(d => d.Reference == request.Study.ImagingStudy));
        Assert.Equal(ObservationStatus.Preliminary, finding.Status);
        Assert.Contains(finding.Id, (await Store.ReadAsync<DiagnosticReport>(result.ReportReference)).Result.Select(r => r.Reference!.Split('/')[1]));
        var ofStudy = await Store.SearchAsync<Observation>(new SearchParams().Add("derived-from", request.Study.ImagingStudy));
        Assert.Equal(["233604007", "60046008"], ofStudy.Select(o => o.Code.Coding[0].Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReRunningTheSameStudyAndModelChangesNothing()
    {
        var request = await RequestForFreshStudyAsync("1.0.0");
        var keys = new DraftKeys(request, _options);
        var first = await NewWriter().WriteAsync(request);
        var before = await SnapshotAsync(request, keys);

        var again = await NewWriter().WriteAsync(request);
        // Also replay the raw transaction, past the writer's own check: the conditional creates must hold alone.
        var replay = await Store.TransactionAsync(new DraftBundleBuilder(_options).Build(request, keys, []));

        Assert.False(again.Created);
        Assert.Equal(first.ReportReference, again.ReportReference);
        Assert.All(replay.Entry, e => Assert.StartsWith("200", e.Response!.Status));
        Assert.Equal(before, await SnapshotAsync(request, keys));
    }

    [Fact]
    public async Task TwentyParallelWritersForOneStudyLeaveExactlyOneDraft()
    {
        var request = await RequestForFreshStudyAsync("1.0.0");
        var keys = new DraftKeys(request, _options);
        var locks = new KeyedLock();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => NewWriter(locks).WriteAsync(request))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.ReportReference).Distinct());
        Assert.Single(await Store.SearchByIdentifierAsync<DiagnosticReport>(keys.ReportSystem, keys.Key));
        Assert.Single(await Store.SearchByIdentifierAsync<Hl7.Fhir.Model.Task>(keys.TaskSystem, keys.Key));
        Assert.Single(await SearchAsync<Provenance>($"_tag={keys.ProvenanceTagSystem}|{keys.Key}"));
        Assert.Equal(0, locks.ActiveKeys);
    }

    [Fact]
    public async Task TwentyWritersWithoutASharedLockStillLeaveOneDraft()
    {
        // Separate KeyedLocks stand for separate worker processes: only the conditional creates protect here.
        var request = await RequestForFreshStudyAsync("1.0.0");
        var keys = new DraftKeys(request, _options);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => NewWriter(new KeyedLock()).WriteAsync(request))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.ReportReference).Distinct());
        Assert.Single(await Store.SearchByIdentifierAsync<DiagnosticReport>(keys.ReportSystem, keys.Key));
        Assert.Single(await SearchAsync<Provenance>($"_tag={keys.ProvenanceTagSystem}|{keys.Key}"));
    }

    [Fact]
    public async Task FourteenStandaloneFindingsAndSupersedingGoInOneTransaction()
    {
        var labels = Enumerable.Range(1, 14)
            .Select(i => new FindingLabel(new CodedConcept("urn:llavarad:chexpert", $"label-{i}", $"Label {i}"), FindingCertainty.Uncertain)).ToList();
        var v1 = (await RequestForFreshStudyAsync("1.0.0")) with { Findings = labels };
        var v2 = v1 with { Model = v1.Model with { Version = "2.0.0" } };

        await NewWriter().WriteAsync(v1);
        var second = await NewWriter().WriteAsync(v2);

        Assert.True(second.Created);
        Assert.Single(second.Superseded);
        Assert.Equal(14, (await Store.ReadAsync<DiagnosticReport>(second.ReportReference)).Result.Count);
        var oldFindings = (await Store.ReadAsync<DiagnosticReport>(second.Superseded[0])).Result;
        Assert.Equal(14, oldFindings.Count);
        foreach (var old in oldFindings)
            Assert.Equal(ObservationStatus.Cancelled, (await Store.ReadAsync<Observation>(old.Reference!)).Status);
    }

    [Fact]
    public async Task WithTheContainOptionFourteenFindingsStayInsideTheReport()
    {
        var options = new WriteBackOptions { ContainFindings = true };
        var labels = Enumerable.Range(1, 14)
            .Select(i => new FindingLabel(new CodedConcept("urn:llavarad:chexpert", $"label-{i}", $"Label {i}"), FindingCertainty.Uncertain)).ToList();
        var request = (await RequestForFreshStudyAsync("1.0.0")) with { Findings = labels };

        var result = await new DraftReportWriter(Store, new KeyedLock(), Options.Create(options), NullLogger<DraftReportWriter>.Instance).WriteAsync(request);

        Assert.Equal(14, (await Store.ReadAsync<DiagnosticReport>(result.ReportReference)).Contained.Count);
        Assert.Empty(await Store.SearchAsync<Observation>(new SearchParams().Add("derived-from", request.Study.ImagingStudy)));
    }

    [Fact]
    public async Task SupersedingAStaleReadIsAConflictAndWritesNothing()
    {
        var v1 = await RequestForFreshStudyAsync("1.0.0");
        var v2 = v1 with { Model = v1.Model with { Version = "2.0.0" } };
        var first = await NewWriter().WriteAsync(v1);
        var staleRead = await Store.ReadAsync<DiagnosticReport>(first.ReportReference);
        var changed = await Store.ReadAsync<DiagnosticReport>(first.ReportReference);
        changed.Conclusion = "edited by a radiologist meanwhile";
        await _http.PutAsync(first.ReportReference, new StringContent(changed.ToJson(), System.Text.Encoding.UTF8, "application/fhir+json"));
        var v2Keys = new DraftKeys(v2, _options);

        var error = await Assert.ThrowsAsync<FhirStoreException>(() =>
            Store.TransactionAsync(new DraftBundleBuilder(_options).Build(v2, v2Keys, [new SupersededDraft(staleRead, null, Store.Endpoint)])));

        Assert.Equal(FhirStoreException.Conflict, error.Code);
        Assert.Empty(await Store.SearchByIdentifierAsync<DiagnosticReport>(v2Keys.ReportSystem, v2Keys.Key)); // all or nothing
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, (await Store.ReadAsync<DiagnosticReport>(first.ReportReference)).Status);
    }

    [Fact]
    public async Task AStudyWithoutAStudyInstanceUidIsRefusedWithACode()
    {
        var study = await Store.CreateAsync(new ImagingStudy
        {
            Status = ImagingStudy.ImagingStudyStatus.Available,
            Subject = new ResourceReference("Patient/anyone"),
        });

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => new ImagingStudyReader(Store).ReadAsync($"ImagingStudy/{study.Id}"));

        Assert.Equal(FhirStoreException.IncompleteResource, error.Code);
    }

    [Fact]
    public async Task ANewModelVersionCancelsTheOlderDraftAndLinksThem()
    {
        var v1 = await RequestForFreshStudyAsync("1.0.0");
        var v2 = v1 with { Model = v1.Model with { Version = "1.1.0", WeightsSha256 = new string('c', 64) } };
        var writer = NewWriter();

        var first = await writer.WriteAsync(v1);
        var second = await writer.WriteAsync(v2);

        Assert.Equal([first.ReportReference], second.Superseded);
        var oldReport = await Store.ReadAsync<DiagnosticReport>(first.ReportReference);
        var newReport = await Store.ReadAsync<DiagnosticReport>(second.ReportReference);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Cancelled, oldReport.Status);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, newReport.Status);
        var v1Keys = new DraftKeys(v1, _options);
        var oldTask = Assert.Single(await Store.SearchByIdentifierAsync<Hl7.Fhir.Model.Task>(v1Keys.TaskSystem, v1Keys.Key));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Cancelled, oldTask.Status);

        var v2Keys = new DraftKeys(v2, _options);
        var provenance = Assert.Single(await SearchAsync<Provenance>($"_tag={v2Keys.ProvenanceTagSystem}|{v2Keys.Key}"));
        Assert.Contains(provenance.Entity, e => e.Role == Provenance.ProvenanceEntityRole.Revision && e.What.Reference == first.ReportReference);

        var rerunOld = await writer.WriteAsync(v1); // the old version again: already written, must not cancel the new one
        Assert.False(rerunOld.Created);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Preliminary, (await Store.ReadAsync<DiagnosticReport>(second.ReportReference)).Status);
    }

    private async Task<DraftReportRequest> RequestForFreshStudyAsync(string modelVersion)
    {
        var sample = await FreshSampleStudy.LoadAsync(Store);
        var intake = await new ImagingStudyReader(Store).ReadAsync(sample.ImagingStudyReference);
        return new DraftReportRequest(
            intake.ForDraft(intake.Series[0].Instances[0].SopInstanceUid),
            "Heart size is normal. Small right pleural effusion. No pneumothorax.",
            new ModelIdentity("microsoft/llava-rad", "LLaVA-Rad", modelVersion, new string('b', 64)),
            "pipeline-1",
            [
                new FindingLabel(new CodedConcept("http://snomed.info/sct", "60046008", "Pleural effusion"), FindingCertainty.Positive),
                new FindingLabel(new CodedConcept("http://snomed.info/sct", "233604007", "Pneumonia"), FindingCertainty.Uncertain),
            ],
            WorklistUrgency.Urgent,
            DateTimeOffset.UtcNow);
    }

    private async Task<string> SnapshotAsync(DraftReportRequest request, DraftKeys keys)
    {
        var reports = await Store.SearchByIdentifierAsync<DiagnosticReport>(keys.ReportSystem, keys.Key);
        var tasks = await Store.SearchByIdentifierAsync<Hl7.Fhir.Model.Task>(keys.TaskSystem, keys.Key);
        var provenances = await SearchAsync<Provenance>($"_tag={keys.ProvenanceTagSystem}|{keys.Key}");
        var devices = await Store.SearchByIdentifierAsync<Device>(keys.WeightsSystem, keys.WeightsSha256);
        return string.Join(";", new Resource[][] { [.. reports], [.. tasks], [.. provenances], [.. devices] }
            .SelectMany(list => list).Select(r => $"{r.TypeName}/{r.Id}@{r.Meta?.VersionId}").Order(StringComparer.Ordinal));
    }

    private Task<IReadOnlyList<T>> SearchAsync<T>(string query) where T : Resource, new()
    {
        var parameters = new SearchParams();
        var (name, value) = (query[..query.IndexOf('=')], query[(query.IndexOf('=') + 1)..]);
        return Store.SearchAsync<T>(parameters.Add(name, value));
    }
}
