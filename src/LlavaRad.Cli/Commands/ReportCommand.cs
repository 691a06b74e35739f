using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Cli;

/// <summary>
/// `llavarad report PATH...`: local DICOM, PNG or JPEG files or folders through the demo's embedded worker. Each
/// DICOM folder (or file) is a study; a PNG or JPEG is wrapped as a one-image frontal chest DX study (a fresh UID
/// from the file's hash; no patient data), since it carries no DICOM attributes to select by. Findings, labels and
/// urgency are printed (or one JSON document with --json); the FHIR bundles, SRs and ORUs are written under --out.
/// </summary>
public sealed class ReportCommand : ICliCommand
{
    private static readonly string[] PictureExtensions = [".png", ".jpg", ".jpeg"];

    public Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("PATH") { Description = "DICOM, PNG or JPEG files, or folders of them", Arity = ArgumentArity.OneOrMore };
        var outDir = CliOptions.Text("--out", "DIR", "where the drafts (FHIR bundles), SRs, ORUs and the job store go", "report-output");
        var model = CliOptions.Text("--model", "DIR", "the model to serve in-process (default: models/tiny-synthetic-cxr)");
        var node = CliOptions.NodeUrl(required: false, "a running inference node to use instead of the in-process one");
        var concurrency = CliOptions.Whole("--concurrency", "studies drafted at once", 2);
        var json = CliOptions.Flag("--json", "print one JSON document with every study's outcome, findings, labels and files");
        var command = new Command("report", "local DICOM/PNG/JPEG files or folders -> findings, labels, urgency and FHIR drafts")
            .With(paths, outDir, model, node, concurrency, json);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var output = Path.GetFullPath(parse.GetRequiredValue(outDir));
            Directory.CreateDirectory(output);
            var staging = StudyStaging.Fresh(output);
            var inputs = Stage(parse.GetRequiredValue(paths), staging, console.Err);
            var address = parse.GetValue(node);
            var chosen = address is null ? DemoModel.Choose(parse.GetValue(model), output) : null;
            // Progress goes to stderr, so stdout holds only the report (or the JSON).
            var result = await EmbeddedWorker.RunAsync(new EmbeddedWorker.Settings(staging, output, parse.GetValue(concurrency), address, chosen),
                console with { Out = console.Err }, inputs.Count, cancellationToken);
            var studies = result.Rows.Select(r => Describe(r, inputs.GetValueOrDefault(r.Study, r.Study), output)).ToList();
            if (parse.GetValue(json))
                await console.Out.WriteLineAsync(new JsonObject { ["out"] = output, ["studies"] = new JsonArray([.. studies]) }
                    .ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else
                foreach (var study in studies) await console.Out.WriteLineAsync(Text(study));
            return result.Rows.All(r => r.DraftFile is not null) ? CliApp.Ok : CliApp.Failed;
        });
        return command;
    }

    /// <summary>Copies or wraps each input into its own study folder; returns study folder -> the input it came from.</summary>
    private static Dictionary<string, string> Stage(IEnumerable<string> paths, string staging, TextWriter stderr)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string folder, string input) => inputs[Path.GetRelativePath(staging, folder)] = input;
        foreach (var path in paths.Select(Path.GetFullPath))
        {
            if (Directory.Exists(path))
            {
                foreach (var folder in SampleStudies.StudyFolders(path).Prepend(path).Distinct().Where(f => Directory.EnumerateFiles(f, "*.dcm").Any()))
                {
                    var target = StudyStaging.NewStudyFolder(staging, Path.GetFileName(folder));
                    StudyStaging.CopyDicomFiles(folder, target);
                    Add(target, folder);
                }
                foreach (var picture in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsPicture).Order(StringComparer.Ordinal))
                    Add(Wrap(picture, staging, stderr), picture);
            }
            else if (File.Exists(path) && IsPicture(path)) Add(Wrap(path, staging, stderr), path);
            else if (File.Exists(path))
            {
                var target = StudyStaging.NewStudyFolder(staging, Path.GetFileNameWithoutExtension(path));
                File.Copy(path, Path.Combine(target, Path.GetFileNameWithoutExtension(path) + ".dcm"));
                Add(target, path);
            }
            else throw new CommandFailedException($"{path} is neither a file nor a folder");
        }
        return inputs.Count > 0 ? inputs : throw new CommandFailedException("no DICOM, PNG or JPEG file in the given paths");
    }

    private static bool IsPicture(string path) => PictureExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>A PNG or JPEG as a one-image DX PA chest study, 8 bits stored, with UIDs from the file's SHA-256.</summary>
    private static string Wrap(string picture, string staging, TextWriter stderr)
    {
        var image = ImageFileReader.Read(picture);
        var gray = RemoteGeneration.Gray(image, stderr);
        var name = "llavarad-report/" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(picture)));
        var target = StudyStaging.NewStudyFolder(staging, Path.GetFileNameWithoutExtension(picture));
        File.WriteAllBytes(Path.Combine(target, "image.dcm"), Part10Writer.Write(new Part10Writer.Image(
            // A picture names no patient; the pipeline needs a PatientID, so it gets a pseudonym from the file's hash.
            PatientName: "", PatientId: "LOCAL-" + name[^16..].ToUpperInvariant(), StudyUid: Part10Writer.UidFor(name + "/study"), SeriesUid: Part10Writer.UidFor(name + "/series"),
            SopInstanceUid: Part10Writer.UidFor(name + "/instance"), Rows: image.Height, Columns: image.Width,
            Pixels: gray.Select(b => (ushort)b).ToArray(), BitsStored: 8)));
        return target;
    }

    private static JsonObject Describe(DemoStudy row, string input, string output)
    {
        var draft = row.DraftFile is { } file ? DraftBundleReader.Read(file) : null;
        return new JsonObject
        {
            ["input"] = input,
            ["outcome"] = row.Outcome,
            ["selected_image"] = row.Image,
            ["urgency"] = row.Priority,
            ["findings"] = draft?.FindingsText,
            ["labels"] = draft is null ? null : new JsonArray([.. draft.Findings.Select(f => (JsonNode)new JsonObject { ["finding"] = f.Finding, ["certainty"] = f.Certainty })]),
            ["fhir_bundle"] = row.DraftFile,
            ["sr_folder"] = Path.Combine(output, "sr"),
            ["hl7_folder"] = Path.Combine(output, "hl7"),
        };
    }

    private static string Text(JsonObject study)
    {
        var lines = new List<string> { $"{study["input"]}: {study["outcome"]}" };
        if (study["findings"] is { } findings)
        {
            lines.Add($"  urgency: {study["urgency"]}");
            lines.Add($"  findings: {findings}");
            lines.Add($"  labels: {string.Join("; ", study["labels"]!.AsArray().Select(l => $"{l!["finding"]} {l["certainty"]}"))}");
            lines.Add($"  FHIR bundle: {study["fhir_bundle"]}");
        }
        return string.Join("\n", lines);
    }
}
