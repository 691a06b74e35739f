using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Imaging;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// A sample study copied under a fresh StudyInstanceUID of the same length, so the DICOM files stay valid byte for
/// byte: its files stored in Orthanc over STOW-RS, its FHIR bundle (Endpoint pointed at Orthanc) loaded into the
/// FHIR server. Facts come from the sample's own files, never from the code under test.
/// </summary>
public sealed record WorkerSampleStudy(string ImagingStudyReference, string Patient, string StudyInstanceUid,
    IReadOnlyDictionary<string, string> NewUids)
{
    /// <summary>Stores only the DICOM files under fresh UIDs (the EHR has no ImagingStudy); returns the StudyInstanceUID.</summary>
    public static async Task<string> LoadDicomOnlyAsync(DicomWebClient dicomWeb, string folder) =>
        (await LoadAsync(null, dicomWeb, null, folder)).StudyInstanceUid;

    public static async Task<WorkerSampleStudy> LoadAsync(FhirStore? fhir, DicomWebClient dicomWeb, Uri? dicomWebUrl, string folder)
    {
        var dir = Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "studies", folder);
        var bundleText = await File.ReadAllTextAsync(Path.Combine(dir, "fhir-bundle.json"));
        var oldUid = Resource(JsonNode.Parse(bundleText)!, "ImagingStudy")["identifier"]!.AsArray()
            .Single(i => (string?)i!["system"] == "urn:dicom:uid")!["value"]!.GetValue<string>()["urn:oid:".Length..];
        // Study, series and instance UIDs all change: DICOMweb servers find a series or instance by its own UID.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ExternalTool.RepoRoot(), "sample-studies", "manifest.json")));
        var entry = manifest.RootElement.GetProperty("studies").EnumerateArray().Single(s => s.GetProperty("folder").GetString() == $"studies/{folder}");
        var uids = entry.GetProperty("files").EnumerateArray()
            .SelectMany(f => new[] { f.GetProperty("seriesInstanceUid").GetString()!, f.GetProperty("sopInstanceUid").GetString()! })
            .Prepend(oldUid).Distinct().ToDictionary(u => u, SameLengthUid);
        var uid = uids[oldUid];

        var files = Directory.GetFiles(dir, "*.dcm").Order(StringComparer.Ordinal).Select(f => uids.Aggregate(File.ReadAllBytes(f),
            (bytes, pair) => Replace(bytes, Encoding.ASCII.GetBytes(pair.Key), Encoding.ASCII.GetBytes(pair.Value)))).ToList();
        var stored = await dicomWeb.StoreAsync(files);
        Assert.Equal(files.Count, stored.StoredSopInstanceUids.Count);

        if (fhir is null || dicomWebUrl is null) return new WorkerSampleStudy("", "", uid, uids);
        // A fresh Endpoint identifier too: the bundle creates its Endpoint only if none has that identifier, and
        // another test may already have made one with the placeholder address.
        var renamed = bundleText.Replace("pacs-dicomweb", $"pacs-dicomweb-{Guid.NewGuid():N}", StringComparison.Ordinal);
        var json = JsonNode.Parse(uids.Aggregate(renamed, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal)))!;
        Resource(json, "Endpoint")["address"] = dicomWebUrl.AbsoluteUri.TrimEnd('/');
        var response = await fhir.TransactionAsync(new FhirJsonDeserializer().Deserialize<Bundle>(json.ToJsonString()));
        var entries = json["entry"]!.AsArray();
        string Located(string type)
        {
            var index = entries.Select((e, i) => (e, i)).Single(x => (string?)x.e!["resource"]!["resourceType"] == type).i;
            var parts = response.Entry[index].Response!.Location!.Split('/');
            return $"{type}/{parts[Array.IndexOf(parts, type) + 1]}";
        }
        return new WorkerSampleStudy(Located("ImagingStudy"), Located("Patient"), uid, uids);
    }

    private static string SameLengthUid(string old)
    {
        var digits = old.Length - "2.25.".Length;
        var text = new StringBuilder("2.25.").Append((char)('1' + Random.Shared.Next(9)));
        while (text.Length < old.Length) text.Append((char)('0' + Random.Shared.Next(10)));
        return digits > 0 ? text.ToString() : throw new InvalidOperationException("unexpected UID form");
    }

    private static byte[] Replace(byte[] data, byte[] from, byte[] to)
    {
        var result = (byte[])data.Clone();
        for (var i = 0; i + from.Length <= result.Length; i++)
            if (result.AsSpan(i, from.Length).SequenceEqual(from)) to.CopyTo(result, i);
        return result;
    }

    private static JsonNode Resource(JsonNode bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["resourceType"] == type);
}
