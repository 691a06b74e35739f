using System.CommandLine;
using LlavaRad.Training.Synthetic;

namespace LlavaRad.Cli;

/// <summary>`llavarad synth`: writes seeded synthetic chest radiographs (DICOM) with their reference findings.</summary>
public sealed class SynthCommand : ICliCommand
{
    public Command Create(CliConsole console)
    {
        var outDir = CliOptions.Text("--out", "DIR", "the folder to write the studies and cases.jsonl to", required: true);
        var count = CliOptions.Whole("--count", "how many studies", 20);
        var seed = CliOptions.Whole("--seed", "the generator's seed", 7);
        var size = CliOptions.Whole("--size", "image width and height in pixels", 256);
        var command = new Command("synth", "synthetic chest radiographs (DICOM) + cases.jsonl with findings").With(outDir, count, seed, size);
        VerbAction.Set(command, console, (parse, _) =>
        {
            var (folder, n, s) = (parse.GetRequiredValue(outDir), parse.GetValue(count), parse.GetValue(seed));
            var generator = new SyntheticCaseGenerator(s, parse.GetValue(size));
            SyntheticStudyFolder.Write(folder, Enumerable.Range(0, n).Select(i => generator.Generate(i)),
                done => { if (done % 50 == 0 || done == n) console.Err.WriteLine($"  {done}/{n} cases"); });
            console.Out.WriteLine($"wrote {n} synthetic studies ({SyntheticCaseGenerator.Version}, seed {s}) to {folder}");
            return CliApp.Ok;
        });
        return command;
    }
}
