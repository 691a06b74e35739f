using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using LlavaRad.Fhir;
using LlavaRad.Fhir.Intake;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Review;
using LlavaRad.Review.Agreement;
using LlavaRad.Review.Drafts;
using LlavaRad.Review.SignOff;
using LlavaRad.Review.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Task = System.Threading.Tasks.Task;
using FhirTask = Hl7.Fhir.Model.Task;

namespace LlavaRad.IntegrationTests.Review;

/// <summary>
/// Sign-off and reject in a real headless Chromium against the real FHIR test server: the draft is written by the
/// real DraftReportWriter, the review app reads it there, and its transactions land there.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class ReviewSignOffFhirTests(Peers peers) : IClassFixture<ReviewBrowser>, IAsyncLifetime
{
    private static readonly PageWaitForURLOptions Patient = new() { Timeout = 180_000 }; // a signed transaction on a loaded 2-core machine
    private readonly HttpClient _http = new() { BaseAddress = peers.FhirUrl };
    private readonly TempDirectory _dir = new("llavarad-review-fhir");
    private readonly WriteBackOptions _writeBack = new();
    private FolderReviewArchive _archive = null!;
    private ReviewHost _host = null!;
    private ReviewBrowser _browser = null!;
    private IBrowserContext _context = null!;

    private FhirStore Store => new(_http);

    public async Task InitializeAsync()
    {
        _archive = new FolderReviewArchive(_dir.File("archive"));
        _host = await ReviewHost.StartAsync(new ReviewHostSettings(_archive.Root, _dir.File("output"), new Uri("http://127.0.0.1:0"), peers.FhirUrl));
        _browser = new ReviewBrowser();
        await _browser.InitializeAsync();
        _context = await _browser.Browser.NewContextAsync();
        _context.SetDefaultTimeout(180_000); // the worklist reads the real FHIR server, slow when the whole suite runs at once
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task SigningWritesAFinalReportWithProvenanceAndCompletesTheReviewTask()
    {
        var (entry, draft) = await DraftOnServerAsync();
        var page = await _context.NewPageAsync();
        await ReviewBrowser.SignInAsync(page, _host.Url);

        await page.GotoAsync(new Uri(_host.Url, $"studies/{entry.Id}").AbsoluteUri);
        var keys = new DraftKeys(entry.Draft, _writeBack);
        var opened = Assert.Single(await Store.SearchByIdentifierAsync<FhirTask>(keys.TaskSystem, keys.Key));
        Assert.Equal(FhirTask.TaskStatus.InProgress, opened.Status);
        await page.FillAsync("textarea[data-role=final-text]", "Small right pleural effusion. Heart size normal.");
        await page.ClickAsync("[data-action=sign]");
        await page.WaitForURLAsync(url => url.EndsWith("/review/", StringComparison.Ordinal), Patient);
        await ReviewBrowser.ScreenshotAsync(page, "fhir-after-sign");

        var signed = (await _archive.FindAsync(entry.Id))!.State;
        Assert.Equal(ReviewStatus.Signed, signed.Status);
        var final = await Store.ReadAsync<DiagnosticReport>(signed.FinalReference!);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Final, final.Status);
        Assert.Equal("Small right pleural effusion. Heart size normal.", final.Conclusion);
        var interpreter = Assert.Single(final.ResultsInterpreter).Reference!;
        Assert.StartsWith("Practitioner/", interpreter);
        Assert.Equal(draft.Subject!.Reference, final.Subject!.Reference);
        var provenance = Assert.Single(await Store.SearchAsync<Provenance>(new SearchParams().Add("target", signed.FinalReference!)));
        Assert.Contains(provenance.Agent, a => a.Type!.Coding[0].Code == "author" && a.Who!.Reference == interpreter);
        var device = Assert.Single(await Store.SearchByIdentifierAsync<Device>(keys.WeightsSystem, keys.WeightsSha256));
        Assert.Contains(provenance.Agent, a => a.Who!.Reference == $"Device/{device.Id}");
        Assert.Equal(entry.DraftReference, Assert.Single(provenance.Entity, e => e.Role == Provenance.ProvenanceEntityRole.Revision).What!.Reference);
        var task = await Store.ReadAsync<FhirTask>($"Task/{opened.Id}");
        Assert.Equal(FhirTask.TaskStatus.Completed, task.Status);
        Assert.Equal(interpreter, task.Owner!.Reference);
        Assert.Equal(signed.FinalReference, ((ResourceReference)Assert.Single(task.Output).Value!).Reference);
    }

    [Fact]
    public async Task RejectingRetiresTheDraftAndCancelsTheTaskWithTheCodedReason()
    {
        var (entry, _) = await DraftOnServerAsync();
        var page = await _context.NewPageAsync();
        await ReviewBrowser.SignInAsync(page, _host.Url);

        await page.GotoAsync(new Uri(_host.Url, $"studies/{entry.Id}").AbsoluteUri);
        await page.SelectOptionAsync("form.reject select[name=reason]", "clinically-incorrect");
        await page.ClickAsync("[data-action=reject]");
        await page.WaitForURLAsync(url => url.EndsWith("/review/", StringComparison.Ordinal), Patient);

        var keys = new DraftKeys(entry.Draft, _writeBack);
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Cancelled, (await Store.ReadAsync<DiagnosticReport>(entry.DraftReference)).Status);
        var task = Assert.Single(await Store.SearchByIdentifierAsync<FhirTask>(keys.TaskSystem, keys.Key));
        Assert.Equal(FhirTask.TaskStatus.Cancelled, task.Status);
        Assert.Equal("clinically-incorrect", task.StatusReason!.Coding[0].Code);
        Assert.Equal("rejected", await page.Locator($"[data-role=rejected] [data-review-id='{entry.Id}']").GetAttributeAsync("data-status"));
    }

    [Fact]
    public async Task AFinalReportWrittenElsewhereForTheOrderSupersedesTheDraftAndKeepsThePair()
    {
        var (entry, draft) = await DraftOnServerAsync();
        var external = await Store.CreateAsync(new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            BasedOn = [new ResourceReference(entry.Draft.Study.ServiceRequest)],
            Code = draft.Code,
            Subject = draft.Subject,
            Conclusion = "Moderate right pleural effusion.",
        });
        var finals = new ExternalFinalReports(_archive, Store, TimeProvider.System, NullLogger<ExternalFinalReports>.Instance);

        var superseded = await finals.PollOnceAsync(default);

        Assert.True(superseded >= 1);
        var state = (await _archive.FindAsync(entry.Id))!.State;
        Assert.Equal(ReviewStatus.Superseded, state.Status);
        Assert.Equal($"DiagnosticReport/{external.Id}", state.FinalReference);
        var pair = Assert.Single(await ReviewPairs.FromArchiveAsync(_archive));
        Assert.Equal(("Heart size is normal. Small right pleural effusion.", "Moderate right pleural effusion."), (pair.DraftText, pair.FinalText));
    }

    /// <summary>A fresh sample study's draft written to the server as the worker writes it, and put under review.</summary>
    private async Task<(ReviewEntry Entry, DiagnosticReport Draft)> DraftOnServerAsync()
    {
        var sample = await FreshSampleStudy.LoadAsync(Store);
        var intake = await new ImagingStudyReader(Store).ReadAsync(sample.ImagingStudyReference);
        var request = new DraftReportRequest(intake.ForDraft(intake.Series[0].Instances[0].SopInstanceUid),
            "Heart size is normal. Small right pleural effusion.",
            new ModelIdentity("microsoft/llava-rad", "LLaVA-Rad", $"review-{Guid.NewGuid():N}", new string('c', 64)), "pipeline-1",
            [new FindingLabel(new CodedConcept("urn:llavarad:chexpert", "PleuralEffusion", "Pleural Effusion"), FindingCertainty.Positive)],
            WorklistUrgency.Urgent, DateTimeOffset.UtcNow);
        var written = await new DraftReportWriter(Store, new KeyedLock(), Options.Create(_writeBack), NullLogger<DraftReportWriter>.Instance)
            .WriteAsync(request);
        var entry = await _archive.AddDraftAsync(request, _writeBack, new Gray8Image(2, 2, [0, 80, 160, 240]), "Chest PA", "effusion-urgent",
            written.ReportReference, heatmap: null);
        return (entry, await Store.ReadAsync<DiagnosticReport>(written.ReportReference));
    }
}
