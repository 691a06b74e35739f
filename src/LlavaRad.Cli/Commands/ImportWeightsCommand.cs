using LlavaRad.Model;
using LlavaRad.Model.Checkpoints;

namespace LlavaRad.Cli;

/// <summary>`llavarad import-weights`: the official release (Vicuna-7B v1.5 + LLaVA-Rad LoRA, projector, vision checkpoint) -> canonical directory.</summary>
public sealed class ImportWeightsCommand : ICliCommand
{
    public string Name => "import-weights";
    public string Usage => "--vicuna DIR --llava-rad DIR --out DIR [--dtype float16|bfloat16|float32]   convert the official release";

    public async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var release = new OfficialRelease(options.Require("vicuna"), options.Require("llava-rad"));
        var output = options.Require("out");
        var dtype = options.Get("dtype") ?? "float16";
        if (dtype is not ("float16" or "bfloat16" or "float32")) throw new UsageException($"--dtype \"{dtype}\" is not float16, bfloat16 or float32");
        try
        {
            var step = 0;
            var directory = await Task.Run(() => OfficialReleaseImporter.Import(release, output, dtype,
                message => stderr.WriteLine($"[{++step}] {message}")), cancellationToken);
            await stdout.WriteLineAsync($"wrote {directory.Path} (weights sha256 {directory.ComputeWeightsSha256()}, manifest {OfficialReleaseImporter.ManifestFile})");
            return CliApp.Ok;
        }
        catch (InvalidModelException e)
        {
            throw new CommandFailedException($"import failed ({e.Code}): {e.Message}");
        }
    }
}
