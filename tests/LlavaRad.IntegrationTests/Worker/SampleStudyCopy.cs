using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlavaRad.IntegrationTests.Worker;

/// <summary>
/// A sample study rewritten as a new one: fresh study, series and instance UIDs of the same length (so the DICOM
/// files stay valid byte for byte), its FHIR bundle pointing at the given DICOMweb server under its own Endpoint.
/// Shared by the worker integration tests and the worker benchmark (linked there).
/// </summary>
public sealed class SampleStudyCopy
{
    private readonly string _bundleText;

    public SampleStudyCopy(string repoRoot, string folder)
    {
        var dir = Path.Combine(repoRoot, "sample-studies", "studies", folder);
        _bundleText = File.ReadAllText(Path.Combine(dir, "fhir-bundle.json"));
        var oldUid = Resource(JsonNode.Parse(_bundleText)!, "ImagingStudy")["identifier"]!.AsArray()
            .Single(i => (string?)i!["system"] == "urn:dicom:uid")!["value"]!.GetValue<string>()["urn:oid:".Length..];
        // Every UID changes: DICOMweb servers find a series or instance by its own UID.
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(repoRoot, "sample-studies", "manifest.json")));
        var entry = manifest.RootElement.GetProperty("studies").EnumerateArray().Single(s => s.GetProperty("folder").GetString() == $"studies/{folder}");
        NewUids = entry.GetProperty("files").EnumerateArray()
            .SelectMany(f => new[] { f.GetProperty("seriesInstanceUid").GetString()!, f.GetProperty("sopInstanceUid").GetString()! })
            .Prepend(oldUid).Distinct().ToDictionary(u => u, SameLengthUid);
        StudyInstanceUid = NewUids[oldUid];
        Files = Directory.GetFiles(dir, "*.dcm").Order(StringComparer.Ordinal).Select(f => NewUids.Aggregate(File.ReadAllBytes(f),
            (bytes, pair) => Replace(bytes, Encoding.ASCII.GetBytes(pair.Key), Encoding.ASCII.GetBytes(pair.Value)))).ToList();
    }

    /// <summary>Old UID → new UID.</summary>
    public IReadOnlyDictionary<string, string> NewUids { get; }
    public string StudyInstanceUid { get; }
    public IReadOnlyList<byte[]> Files { get; }

    /// <summary>
    /// The bundle with the new UIDs and its Endpoint at <paramref name="dicomWebUrl"/>. The Endpoint gets a fresh
    /// identifier too: the bundle creates it only if none has that identifier, and another load may already have
    /// made one with the placeholder address.
    /// </summary>
    public JsonNode Bundle(Uri dicomWebUrl)
    {
        var renamed = _bundleText.Replace("pacs-dicomweb", $"pacs-dicomweb-{Guid.NewGuid():N}", StringComparison.Ordinal);
        var json = JsonNode.Parse(NewUids.Aggregate(renamed, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal)))!;
        Resource(json, "Endpoint")["address"] = dicomWebUrl.AbsoluteUri.TrimEnd('/');
        return json;
    }

    /// <summary>"Type/id" of the bundle entry of that type, from the transaction response.</summary>
    public static string Located(JsonNode bundle, IReadOnlyList<string?> responseLocations, string type)
    {
        var index = bundle["entry"]!.AsArray().Select((e, i) => (e, i)).Single(x => (string?)x.e!["resource"]!["resourceType"] == type).i;
        var parts = responseLocations[index]!.Split('/');
        return $"{type}/{parts[Array.IndexOf(parts, type) + 1]}";
    }

    private static string SameLengthUid(string old)
    {
        if (old.Length <= "2.25.".Length + 1) throw new InvalidOperationException("unexpected UID form");
        var text = new StringBuilder("2.25.").Append((char)('1' + Random.Shared.Next(9)));
        while (text.Length < old.Length) text.Append((char)('0' + Random.Shared.Next(10)));
        return text.ToString();
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
