using System.CommandLine;
using LlavaRad.CheXbert;
using LlavaRad.Findings.Evaluation;
using TorchSharp;

namespace LlavaRad.Cli;

/// <summary>
/// `--labeler chexbert --chexbert chexbert.pth --vocab vocab.txt [--batch 16] [--threads 1]`, shared by label and
/// eval: the options, and what they choose (null for the default rule-based labeler).
/// </summary>
public sealed class CheXbertOptions(string checkpoint, string vocabulary, int batch, int threads)
{
    /// <summary>The options of one command, added with <see cref="AddTo"/> and read back with <see cref="Read"/>.</summary>
    public sealed class Arguments
    {
        private readonly Option<string> _labeler = CliOptions.OneOf("--labeler", "rule: the built-in rule labeler; chexbert: the CheXbert checkpoint", "rule", "rule", "chexbert");
        private readonly Option<string> _checkpoint = CliOptions.Text("--chexbert", "chexbert.pth", "the CheXbert checkpoint (with --labeler chexbert)");
        private readonly Option<string> _vocabulary = CliOptions.Text("--vocab", "vocab.txt", "the BERT vocabulary (with --labeler chexbert)");
        private readonly Option<int> _batch = CliOptions.Whole("--batch", "reports per CheXbert batch", 16);
        private readonly Option<int> _threads = CliOptions.Whole("--threads", "CPU threads for CheXbert", 1);

        public Command AddTo(Command command)
        {
            command.With(_labeler, _checkpoint, _vocabulary, _batch, _threads);
            command.Validators.Add(result =>
            {
                if (result.GetValue(_labeler) != "chexbert") return;
                foreach (var needed in new[] { _checkpoint, _vocabulary })
                    if (result.GetResult(needed) is null) result.AddError($"--labeler chexbert needs {needed.Name}");
            });
            return command;
        }

        public CheXbertOptions? Read(ParseResult parse) => parse.GetValue(_labeler) != "chexbert" ? null
            : new CheXbertOptions(parse.GetRequiredValue(_checkpoint), parse.GetRequiredValue(_vocabulary), parse.GetValue(_batch), parse.GetValue(_threads));
    }

    public IReadOnlyList<CheXbertResult> Label(IReadOnlyList<string> texts, Action<int> progress)
    {
        torch.set_num_threads(threads);
        return Guard(() => Load().Label(texts, batch, progress));
    }

    public IReadOnlyList<MetricResult> Evaluate(IReadOnlyList<ReportPair> pairs, int samples, int seed, Action<string> progress) =>
        Guard(() => CheXbertEvaluation.Evaluate(Load(), pairs, samples, seed, batch, threads, progress));

    private CheXbertLabeler Load() => Guard(() => CheXbertLabeler.Load(checkpoint, vocabulary));

    private static T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (CheXbertException e) { throw new CommandFailedException($"{e.Code}: {e.Message}"); }
    }
}
