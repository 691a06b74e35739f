using System.Globalization;
using LlavaRad.CheXbert;
using LlavaRad.Findings.Evaluation;
using TorchSharp;

namespace LlavaRad.Cli;

/// <summary>
/// `--labeler chexbert --chexbert chexbert.pth --vocab vocab.txt [--batch 16] [--threads 1]`, shared by label and
/// eval; null for the default rule-based labeler.
/// </summary>
public sealed class CheXbertOptions(string checkpoint, string vocabulary, int batch, int threads)
{
    public static CheXbertOptions? Read(CommandOptions options)
    {
        var labeler = options.Get("labeler") ?? "rule";
        if (labeler == "rule") return null;
        if (labeler != "chexbert") throw new UsageException($"--labeler \"{labeler}\" is neither rule nor chexbert");
        return new CheXbertOptions(options.Require("chexbert"), options.Require("vocab"), Whole(options, "batch", 16), Whole(options, "threads", 1));
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

    private static int Whole(CommandOptions options, string name, int fallback)
    {
        var text = options.Get(name);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new UsageException($"--{name} \"{text}\" is not a whole number >= 1");
    }
}
