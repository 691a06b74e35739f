using System.Globalization;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Cli;

/// <summary>`llavarad synth`: writes seeded synthetic chest radiographs (DICOM) with their reference findings.</summary>
public sealed class SynthCommand : ICliCommand
{
    public string Name => "synth";
    public string Usage => "--out DIR [--count 20] [--seed 7] [--size 256]   synthetic chest radiographs (DICOM) + cases.jsonl with findings";

    public Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = CommandOptions.Parse(args);
        var outDir = options.Require("out");
        var count = Whole(options, "count", 20);
        var seed = Whole(options, "seed", 7);
        var size = Whole(options, "size", 256);
        var generator = new SyntheticCaseGenerator(seed, size);
        SyntheticStudyFolder.Write(outDir, Enumerable.Range(0, count).Select(i => generator.Generate(i)),
            n => { if (n % 50 == 0 || n == count) stderr.WriteLine($"  {n}/{count} cases"); });
        stdout.WriteLine($"wrote {count} synthetic studies ({SyntheticCaseGenerator.Version}, seed {seed}) to {outDir}");
        return Task.FromResult(CliApp.Ok);
    }

    internal static int Whole(CommandOptions options, string name, int fallback)
    {
        var text = options.Get(name);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"--{name} \"{text}\" is not a positive whole number");
    }
}
