using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging.Png;
using LlavaRad.Review.Drafts;
using LlavaRad.Review.SignOff;
using Microsoft.Playwright;
using Task = System.Threading.Tasks.Task;

namespace LlavaRad.Review.Tests;

/// <summary>
/// The review app in a real headless Chromium, served by <see cref="ReviewHost"/> in the demo's embedded mode:
/// drafts from local bundles, decisions written as transaction bundles into the output folder.
/// </summary>
public sealed class ReviewBrowserTests : IClassFixture<ReviewBrowser>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow.AddHours(-2);
    private static readonly PageWaitForURLOptions Patient = new() { Timeout = 60_000 };
    private readonly ReviewBrowser _browser;
    private readonly TempDirectory _dir = new("llavarad-review-browser");
    private readonly FolderReviewArchive _archive;
    private readonly SampleDrafts _drafts;
    private ReviewHost _host = null!;
    private IBrowserContext _context = null!;

    public ReviewBrowserTests(ReviewBrowser browser)
    {
        _browser = browser;
        _archive = new FolderReviewArchive(_dir.File("archive"));
        _drafts = new SampleDrafts(_dir.File("drafts"), _archive);
    }

    private string Output => _dir.File("output");

    public async Task InitializeAsync()
    {
        _host = await ReviewHost.StartAsync(new ReviewHostSettings(_archive.Root, Output, new Uri("http://127.0.0.1:0")));
        _context = await _browser.Browser.NewContextAsync();
        _context.SetDefaultTimeout(60_000); // a loaded 2-core machine
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task WorklistListsStatThenUrgentThenRoutineOldestFirst()
    {
        await _drafts.AddAsync("1.2.826.0.1.10", WorklistUrgency.Routine, T0, "No acute cardiopulmonary process.");
        await _drafts.AddAsync("1.2.826.0.1.11", WorklistUrgency.Stat, T0.AddMinutes(20), "Large right pneumothorax.",
            [SampleDrafts.Positive("Pneumothorax", "Pneumothorax")]);
        await _drafts.AddAsync("1.2.826.0.1.12", WorklistUrgency.Urgent, T0.AddMinutes(5), "Small left pleural effusion.",
            [SampleDrafts.Positive("PleuralEffusion", "Pleural Effusion")]);
        await _drafts.AddAsync("1.2.826.0.1.13", WorklistUrgency.Stat, T0.AddMinutes(1), "Tension pneumothorax.");
        var page = await _context.NewPageAsync();

        await ReviewBrowser.SignInAsync(page, _host.Url);
        var rows = page.Locator("[data-role=worklist] tr.entry");
        var uids = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.studyUid)");
        var priorities = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.priority)");
        await ReviewBrowser.ScreenshotAsync(page, "worklist");

        Assert.Equal(["1.2.826.0.1.13", "1.2.826.0.1.11", "1.2.826.0.1.12", "1.2.826.0.1.10"], uids);
        Assert.Equal(["stat", "stat", "urgent", "routine"], priorities);
        Assert.All(await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)"), s => Assert.Equal("awaiting-review", s));
        Assert.Equal("Pneumothorax", await page.Locator("[data-study-uid='1.2.826.0.1.11'] .chip").InnerTextAsync());
    }

    [Fact]
    public async Task StudyPageShowsTheExactImageAndANonBlankHeatmapOnTheAttendedHalf()
    {
        var entry = await _drafts.AddAsync("1.2.826.0.1.20", WorklistUrgency.Urgent, T0, "Moderate left pleural effusion. No pneumothorax.",
            [SampleDrafts.Positive("PleuralEffusion", "Pleural Effusion")], SampleDrafts.LeftHeavyGrid());
        var page = await _context.NewPageAsync();
        await ReviewBrowser.SignInAsync(page, _host.Url);

        await page.ClickAsync($"[data-review-id='{entry.Id}'] a");
        await page.WaitForSelectorAsync("canvas[data-role=heatmap][data-loaded=true]");
        await page.WaitForFunctionAsync("() => document.querySelector('img[data-role=frontal]').complete");
        // The image's decoded pixels as the browser has them (red channel of a gray PNG), and the heatmap's alpha by half.
        var pixels = await page.EvaluateAsync<int[]>("""
            () => { const img = document.querySelector('img[data-role=frontal]');
                    const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
                    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
                    const d = g.getImageData(0, 0, c.width, c.height).data; const out = [];
                    for (let i = 0; i < d.length; i += 4) out.push(d[i]); return out; }
            """);
        var halves = await page.EvaluateAsync<double[]>("""
            () => { const c = document.querySelector('canvas[data-role=heatmap]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let left = 0, right = 0;
                    for (let i = 0; i < d.length; i += 4) { const x = (i / 4) % c.width; if (x < c.width / 2) left += d[i + 3]; else right += d[i + 3]; }
                    return [left, right]; }
            """);
        await ReviewBrowser.ScreenshotAsync(page, "study");

        Assert.Equal(SampleDrafts.Frontal().Pixels.Select(p => (int)p), pixels);
        Assert.True(halves[0] > 0 && halves[0] > halves[1], $"heatmap alpha left {halves[0]} right {halves[1]}");
        Assert.Contains("Unreviewed AI draft", await page.Locator("[data-role=ai-banner]").InnerTextAsync());
        Assert.Equal("PleuralEffusion", await page.Locator("[data-role=draft-text] mark").GetAttributeAsync("data-finding"));
        Assert.Equal(new string('a', 64), await page.Locator("[data-role=weights-sha256]").InnerTextAsync());
        Assert.Equal("in-review", await page.Locator("article.study").GetAttributeAsync("data-status"));
        Assert.Equal(PngGrayEncoder.Encode(SampleDrafts.Frontal()), await _archive.ReadFrontalAsync(entry.Id));
    }

    [Fact]
    public async Task SigningWritesTheFinalReportWithProvenanceAndCompletesTheTask()
    {
        var entry = await _drafts.AddAsync("1.2.826.0.1.30", WorklistUrgency.Stat, T0, "Large right pneumothorax.",
            [SampleDrafts.Positive("Pneumothorax", "Pneumothorax")]);
        var page = await _context.NewPageAsync();
        await ReviewBrowser.SignInAsync(page, _host.Url);

        await page.GotoAsync(new Uri(_host.Url, $"studies/{entry.Id}").AbsoluteUri);
        await page.FillAsync("textarea[data-role=final-text]", "Large right pneumothorax with mediastinal shift. Findings called to the ward.");
        await page.ClickAsync("[data-action=sign]");
        await page.WaitForURLAsync(url => url.EndsWith("/review/", StringComparison.Ordinal), Patient);
        await ReviewBrowser.ScreenshotAsync(page, "after-sign");

        Assert.Equal("signed", await page.Locator($"[data-review-id='{entry.Id}']").GetAttributeAsync("data-status"));
        var bundle = ReadBundle($"final-{entry.Id}.json");
        var final = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>());
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Final, final.Status);
        Assert.Equal("Large right pneumothorax with mediastinal shift. Findings called to the ward.", final.Conclusion);
        var practitioner = bundle.Entry.Single(e => e.Resource is Practitioner);
        Assert.Equal(practitioner.FullUrl, Assert.Single(final.ResultsInterpreter).Reference);
        var provenance = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Provenance>());
        var finalUrl = bundle.Entry.Single(e => e.Resource is DiagnosticReport).FullUrl;
        Assert.Equal(finalUrl, Assert.Single(provenance.Target).Reference);
        Assert.Contains(provenance.Agent, a => a.Type!.Coding[0].Code == "author" && a.Who!.Reference == practitioner.FullUrl);
        Assert.Contains(provenance.Agent, a => a.Who!.Reference!.StartsWith("Device?identifier=", StringComparison.Ordinal));
        var revision = Assert.Single(provenance.Entity);
        Assert.Equal(Provenance.ProvenanceEntityRole.Revision, revision.Role);
        Assert.StartsWith("DiagnosticReport?identifier=", revision.What.Reference);
        var task = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>());
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Completed, task.Status);
        Assert.Equal(finalUrl, ((ResourceReference)Assert.Single(task.Output).Value!).Reference);
        var opened = ReadBundle($"opened-{entry.Id}.json");
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.InProgress, Assert.Single(opened.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>()).Status);
        Assert.Contains("\"subtype\":\"sign\"", await File.ReadAllTextAsync(Path.Combine(Output, "review-audit.jsonl")));

        await page.GotoAsync(new Uri(_host.Url, "quality").AbsoluteUri);
        await ReviewBrowser.ScreenshotAsync(page, "quality");
        Assert.Equal("1", await page.Locator("[data-role=agreement] tr[data-finding=Pneumothorax] [data-role=ppv]").InnerTextAsync());
        Assert.Equal(1, await page.Locator("[data-role=edit-distance-histogram] rect[data-count='1']").CountAsync());
    }

    [Fact]
    public async Task RejectingNeedsAReasonRetiresTheDraftAndListsItApart()
    {
        var entry = await _drafts.AddAsync("1.2.826.0.1.40", WorklistUrgency.Routine, T0, "Cardiomegaly.");
        var page = await _context.NewPageAsync();
        await ReviewBrowser.SignInAsync(page, _host.Url);
        await page.GotoAsync(new Uri(_host.Url, $"studies/{entry.Id}").AbsoluteUri);

        await page.ClickAsync("[data-action=reject]"); // no reason chosen: the form refuses to submit
        Assert.Contains($"/studies/{entry.Id}", page.Url);
        await page.SelectOptionAsync("form.reject select[name=reason]", "wrong-study");
        await page.ClickAsync("[data-action=reject]");
        await page.WaitForURLAsync(url => url.EndsWith("/review/", StringComparison.Ordinal), Patient);
        await ReviewBrowser.ScreenshotAsync(page, "after-reject");

        var row = page.Locator($"[data-role=rejected] [data-review-id='{entry.Id}']");
        Assert.Equal("rejected", await row.GetAttributeAsync("data-status"));
        Assert.Equal("wrong-study", await row.Locator(".reason").GetAttributeAsync("data-reason"));
        var bundle = ReadBundle($"rejected-{entry.Id}.json");
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.Cancelled, Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>()).Status);
        var task = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Task>());
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Cancelled, task.Status);
        Assert.Equal("wrong-study", task.StatusReason!.Coding[0].Code);
    }

    [Fact]
    public async Task SignWithoutItsCsrfTokenIsRefusedWith400()
    {
        var entry = await _drafts.AddAsync("1.2.826.0.1.50", WorklistUrgency.Routine, T0, "No acute findings.");
        var page = await _context.NewPageAsync();
        await ReviewBrowser.SignInAsync(page, _host.Url);
        await page.GotoAsync(new Uri(_host.Url, $"studies/{entry.Id}").AbsoluteUri); // the session and the antiforgery cookie exist

        var response = await _context.APIRequest.PostAsync(new Uri(_host.Url, $"studies/{entry.Id}/sign").AbsoluteUri,
            new APIRequestContextOptions { Form = _context.APIRequest.CreateFormData().Set("finalText", "forged") });

        Assert.Equal(400, response.Status);
        Assert.Contains("csrf-token-invalid", await response.TextAsync());
        Assert.Equal(ReviewStatus.InReview, (await _archive.FindAsync(entry.Id))!.State.Status);
        Assert.False(File.Exists(Path.Combine(Output, $"final-{entry.Id}.json")));
    }

    [Fact]
    public async Task UnauthenticatedRequestsAreRedirectedOrGet401()
    {
        var entry = await _drafts.AddAsync("1.2.826.0.1.60", WorklistUrgency.Routine, T0, "No acute findings.");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Url };

        var page = await http.GetAsync($"studies/{entry.Id}");
        var rows = await http.GetAsync("worklist/rows");
        var sign = await http.PostAsync($"studies/{entry.Id}/sign", new FormUrlEncodedContent([new("finalText", "x")]));
        var image = await http.GetAsync($"studies/{entry.Id}/frontal.png");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/review/login", page.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain(entry.Draft.Study.StudyInstanceUid, page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, rows.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, sign.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, image.StatusCode);
        Assert.Equal(ReviewStatus.AwaitingReview, (await _archive.FindAsync(entry.Id))!.State.Status);
    }

    private Bundle ReadBundle(string name) =>
        new FhirJsonDeserializer().Deserialize<Bundle>(File.ReadAllText(Path.Combine(Output, name)));
}
