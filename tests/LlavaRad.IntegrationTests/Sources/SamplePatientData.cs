using System.Text.Json.Nodes;

namespace LlavaRad.IntegrationTests.Sources;

/// <summary>
/// The sample studies' patient names, IDs, accession numbers and birth dates, read straight from
/// sample-studies/manifest.json and the FHIR bundles: what must never appear in logs, metrics or traces.
/// </summary>
public static class SamplePatientData
{
    public static IReadOnlyList<string> Values()
    {
        var root = ExternalTool.RepoRoot();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "sample-studies", "manifest.json")))!;
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var study in manifest["studies"]!.AsArray())
        {
            values.Add((string)study!["patientId"]!);
            values.Add((string)study["accessionNumber"]!);
            foreach (var part in ((string)study["patientName"]!).Split('^', StringSplitOptions.RemoveEmptyEntries)) values.Add(part);
            var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "sample-studies", (string)study["fhirBundle"]!)))!;
            foreach (var entry in bundle["entry"]!.AsArray())
            {
                var resource = entry!["resource"]!;
                if ((string?)resource["resourceType"] != "Patient") continue;
                if ((string?)resource["birthDate"] is { } birthDate)
                {
                    values.Add(birthDate);
                    values.Add(birthDate.Replace("-", ""));
                }
                foreach (var name in resource["name"]?.AsArray() ?? [])
                {
                    if ((string?)name!["family"] is { } family) values.Add(family);
                    foreach (var given in name["given"]?.AsArray() ?? []) values.Add((string)given!);
                }
            }
        }
        // Very short fragments (a middle initial) would match unrelated text; names here are whole words.
        return values.Where(v => v.Length >= 3).ToList();
    }

    public static void AssertAbsent(string what, IEnumerable<string> texts)
    {
        var all = string.Join("\n", texts);
        foreach (var value in Values())
            Assert.False(all.Contains(value, StringComparison.OrdinalIgnoreCase), $"{what} contain the sample patient value \"{value}\"");
    }
}
