using System.CommandLine;
using LlavaRad.Model;
using LlavaRad.Model.Checkpoints;

namespace LlavaRad.Cli;

/// <summary>`llavarad import-weights`: the official release (Vicuna-7B v1.5 + LLaVA-Rad LoRA, projector, vision checkpoint) -> canonical directory.</summary>
public sealed class ImportWeightsCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var vicuna = CliOptions.Text("--vicuna", "DIR", "the Vicuna-7B v1.5 shards", required: true);
        var llavaRad = CliOptions.Text("--llava-rad", "DIR", "the LLaVA-Rad release (LoRA adapter, non_lora_trainables.bin, vision checkpoint)", required: true);
        var outDir = CliOptions.Text("--out", "DIR", "the canonical model directory to write", required: true);
        var dtype = CliOptions.OneOf("--dtype", "the stored weight type", "float16", "float16", "bfloat16", "float32");
        var command = new Command("import-weights", "convert the official release").With(vicuna, llavaRad, outDir, dtype);
        VerbAction.Set(command, console, async (parse, cancellationToken) =>
        {
            var release = new OfficialRelease(parse.GetRequiredValue(vicuna), parse.GetRequiredValue(llavaRad));
            try
            {
                var step = 0;
                var directory = await Task.Run(() => LiveProgress.Run(console, "importing", report =>
                    OfficialReleaseImporter.Import(release, parse.GetRequiredValue(outDir), parse.GetRequiredValue(dtype),
                        message => report($"[{++step}] {message}"))), cancellationToken);
                await console.Out.WriteLineAsync($"wrote {directory.Path} (weights sha256 {directory.ComputeWeightsSha256()}, manifest {OfficialReleaseImporter.ManifestFile})");
                return CliApp.Ok;
            }
            catch (InvalidModelException e)
            {
                throw new CommandFailedException($"import failed ({e.Code}): {e.Message}");
            }
        });
        return command;
    }
}
