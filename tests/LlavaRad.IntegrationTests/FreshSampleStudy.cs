using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;

namespace LlavaRad.IntegrationTests;

/// <summary>
/// Loads a sample study's FHIR bundle with a fresh StudyInstanceUID, so each test gets its own ImagingStudy on the
/// shared server. Facts for assertions are read from the raw JSON, not through the code under test.
/// </summary>
public sealed class FreshSampleStudy
{
    private FreshSampleStudy(JsonNode study, JsonNode order, JsonNode endpoint, string imagingStudyReference, string uid)
    {
        Study = study;
        Order = order;
        Endpoint = endpoint;
        ImagingStudyReference = imagingStudyReference;
        StudyInstanceUid = uid;
    }

    public JsonNode Study { get; }
    public JsonNode Order { get; }
    public JsonNode Endpoint { get; }
    public string ImagingStudyReference { get; }
    public string StudyInstanceUid { get; }

    public static async Task<FreshSampleStudy> LoadAsync(FhirStore store, string folder = "pa-chest-dx-8bit-no-window")
    {
        var path = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", folder, "fhir-bundle.json");
        var text = await File.ReadAllTextAsync(path);
        var oldUid = Resource(JsonNode.Parse(text)!, "ImagingStudy")["identifier"]!.AsArray()
            .Single(i => (string?)i!["system"] == "urn:dicom:uid")!["value"]!.GetValue<string>()["urn:oid:".Length..];
        var uid = $"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}{Random.Shared.Next(100000, 999999)}";
        var json = JsonNode.Parse(text.Replace(oldUid, uid, StringComparison.Ordinal))!;

        var response = await store.TransactionAsync(new FhirJsonDeserializer().Deserialize<Bundle>(json.ToJsonString()));
        var entries = json["entry"]!.AsArray();
        var studyIndex = entries.Select((e, i) => (e, i)).Single(x => (string?)x.e!["resource"]!["resourceType"] == "ImagingStudy").i;
        var location = response.Entry[studyIndex].Response!.Location!.Split('/');
        var reference = $"ImagingStudy/{location[Array.IndexOf(location, "ImagingStudy") + 1]}";
        return new FreshSampleStudy(Resource(json, "ImagingStudy"), Resource(json, "ServiceRequest"), Resource(json, "Endpoint"), reference, uid);
    }

    private static JsonNode Resource(JsonNode bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["resourceType"] == type);

    public static string Text(JsonNode node) => node.ToJsonString(new JsonSerializerOptions());
}
