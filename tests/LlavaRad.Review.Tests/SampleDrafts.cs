using Hl7.Fhir.Serialization;
using LlavaRad.Fhir.WriteBack;
using LlavaRad.Imaging;
using LlavaRad.Review.Drafts;

namespace LlavaRad.Review.Tests;

/// <summary>
/// Drafts as the worker leaves them for review in the embedded mode: the real DraftBundleBuilder's local bundle
/// in a draft folder, and the archive entry with its frontal image.
/// </summary>
public sealed class SampleDrafts(string draftFolder, IReviewArchive archive)
{
    public static readonly WriteBackOptions WriteBack = new();
    public static readonly ModelIdentity Model = new("tiny-synthetic-cxr", "Tiny synthetic CXR", "0.1.0", new string('a', 64));

    public async Task<ReviewEntry> AddAsync(string uid, WorklistUrgency urgency, DateTimeOffset arrived, string text,
        IReadOnlyList<FindingLabel>? findings = null, AttentionGrid? heatmap = null)
    {
        var request = new DraftReportRequest(
            new StudyReferences(uid, $"ImagingStudy?identifier=urn:dicom:uid|urn:oid:{uid}", "Patient?identifier=unknown", null, null,
                arrived, null, $"{uid}.1"),
            text, Model, "review-tests", findings ?? [], urgency, arrived);
        var keys = new DraftKeys(request, WriteBack);
        Directory.CreateDirectory(draftFolder);
        var path = Path.Combine(draftFolder, $"draft-{keys.Key[..24]}.json");
        await File.WriteAllTextAsync(path, new FhirJsonSerializer().SerializeToString(new DraftBundleBuilder(WriteBack).Build(request, keys, [])));
        return await archive.AddDraftAsync(request, WriteBack, Frontal(), "Chest PA", $"rule-{urgency}".ToLowerInvariant(), path, heatmap);
    }

    public static FindingLabel Positive(string code, string display) =>
        new(new CodedConcept("urn:llavarad:chexpert", code, display), FindingCertainty.Positive);

    /// <summary>A 64x48 radiograph-like image: a horizontal gradient with a bright disc, so it is never blank.</summary>
    public static Gray8Image Frontal()
    {
        const int width = 64, height = 48;
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            pixels[y * width + x] = (byte)((x - 20) * (x - 20) + (y - 24) * (y - 24) < 100 ? 250 : x * 3);
        return new Gray8Image(width, height, pixels);
    }

    /// <summary>A 4x4 attention grid with all its mass on the left half.</summary>
    public static AttentionGrid LeftHeavyGrid() =>
        new(4, 4, Enumerable.Range(0, 16).Select(i => i % 4 < 2 ? 0.125f : 0f).ToArray());
}
