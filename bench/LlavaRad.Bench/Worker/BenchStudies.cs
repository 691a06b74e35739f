using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using LlavaRad.Fhir;
using LlavaRad.Imaging;

namespace LlavaRad.Bench.Worker;

/// <summary>One loaded copy of a sample study: its ImagingStudy reference on the FHIR server and its StudyInstanceUID.</summary>
public sealed record BenchStudy(string ImagingStudyReference, string StudyInstanceUid);

/// <summary>
/// Copies of one sample study under fresh study, series and instance UIDs of the same length (the DICOM files stay
/// valid byte for byte): the files stored in Orthanc over STOW-RS, the FHIR bundle (Endpoint pointed at Orthanc's
/// DICOMweb) posted to the FHIR server. The same steps the worker integration tests use; not timed.
/// </summary>
public sealed class BenchStudies(FhirStore fhir, DicomWebClient dicomWeb, Uri dicomWebUrl, string repoRoot, string folder)
{
    private readonly string _dir = Path.Combine(repoRoot, "sample-studies", "studies", folder);

    public async Task<IReadOnlyList<BenchStudy>> LoadAsync(int count, int parallel = 4)
    {
        var loaded = new BenchStudy[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (i, ct) => loaded[i] = await LoadOneAsync(ct));
        return loaded;
    }

    private async Task<BenchStudy> LoadOneAsync(CancellationToken cancellationToken)
    {
        var bundleText = await File.ReadAllTextAsync(Path.Combine(_dir, "fhir-bundle.json"), cancellationToken);
        var oldUid = Resource(JsonNode.Parse(bundleText)!, "ImagingStudy")["identifier"]!.AsArray()
            .Single(i => (string?)i!["system"] == "urn:dicom:uid")!["value"]!.GetValue<string>()["urn:oid:".Length..];
        var files = Directory.GetFiles(_dir, "*.dcm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        // Every UID the sample uses (study, series, instance) gets a fresh one: servers find series and instances by their own UID.
        var uids = ManifestUids().Prepend(oldUid).Distinct().ToDictionary(u => u, SameLengthUid);
        files = files.Select(bytes => uids.Aggregate(bytes, (b, pair) => Replace(b, Encoding.ASCII.GetBytes(pair.Key), Encoding.ASCII.GetBytes(pair.Value)))).ToList();
        var stored = await dicomWeb.StoreAsync(files, cancellationToken);
        if (stored.StoredSopInstanceUids.Count != files.Count) throw new InvalidOperationException($"Orthanc stored {stored.StoredSopInstanceUids.Count} of {files.Count} files");

        var json = JsonNode.Parse(uids.Aggregate(bundleText, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal)))!;
        Resource(json, "Endpoint")["address"] = dicomWebUrl.AbsoluteUri.TrimEnd('/');
        var response = await fhir.TransactionAsync(new FhirJsonDeserializer().Deserialize<Bundle>(json.ToJsonString()), cancellationToken);
        var entries = json["entry"]!.AsArray();
        var index = entries.Select((e, i) => (e, i)).Single(x => (string?)x.e!["resource"]!["resourceType"] == "ImagingStudy").i;
        var parts = response.Entry[index].Response!.Location!.Split('/');
        return new BenchStudy($"ImagingStudy/{parts[Array.IndexOf(parts, "ImagingStudy") + 1]}", uids[oldUid]);
    }

    private IEnumerable<string> ManifestUids()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "..", "..", "manifest.json")));
        var folder = $"studies/{Path.GetFileName(_dir)}";
        var entry = manifest.RootElement.GetProperty("studies").EnumerateArray().Single(s => s.GetProperty("folder").GetString() == folder);
        return entry.GetProperty("files").EnumerateArray()
            .SelectMany(f => new[] { f.GetProperty("seriesInstanceUid").GetString()!, f.GetProperty("sopInstanceUid").GetString()! })
            .ToList();
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
