using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;

namespace LlavaRad.IntegrationTests;

/// <summary>The sample studies' FHIR bundles are valid R4 that a real server accepts, and can be loaded twice.</summary>
[Collection(PeersCollection.Name)]
public class SampleStudyBundleTests(Peers peers)
{
    public static TheoryData<string> Bundles() =>
        new(Directory.EnumerateFiles(Path.Combine(ExternalTool.RepoRoot(), "sample-studies"), "fhir-bundle.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ExternalTool.RepoRoot(), f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Bundles))]
    public async System.Threading.Tasks.Task BundleLoadsAsATransactionAndItsStudyIsFoundByUid(string bundlePath)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(ExternalTool.RepoRoot(), bundlePath));
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);
        var studyUid = StudyUidFromRawJson(json);
        using var http = new HttpClient { BaseAddress = peers.FhirUrl };
        var store = new FhirStore(http);

        var first = await store.TransactionAsync(bundle);
        var again = await store.TransactionAsync(bundle);
        var studies = await store.SearchByIdentifierAsync<ImagingStudy>("urn:dicom:uid", $"urn:oid:{studyUid}");

        Assert.All(first.Entry, e => Assert.StartsWith("20", e.Response?.Status ?? ""));
        Assert.All(again.Entry, e => Assert.StartsWith("200", e.Response?.Status ?? "")); // conditional creates: nothing new
        var study = Assert.Single(studies);
        Assert.StartsWith("Patient/", study.Subject.Reference);
        Assert.StartsWith("ServiceRequest/", Assert.Single(study.BasedOn).Reference);
    }

    // Read with System.Text.Json, not the Firely model, so the expectation does not come from the code under test.
    private static string StudyUidFromRawJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var study = document.RootElement.GetProperty("entry").EnumerateArray()
            .Select(e => e.GetProperty("resource"))
            .Single(r => r.GetProperty("resourceType").GetString() == "ImagingStudy");
        var uid = study.GetProperty("identifier").EnumerateArray()
            .Single(i => i.GetProperty("system").GetString() == "urn:dicom:uid").GetProperty("value").GetString()!;
        return uid["urn:oid:".Length..];
    }
}
