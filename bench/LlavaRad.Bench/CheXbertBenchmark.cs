using System.Text.Json;
using LlavaRad.CheXbert;
using LlavaRad.CheXbert.Tokenization;
using TorchSharp;

namespace LlavaRad.Bench;

/// <summary>
/// Reports/s of our CheXbert labeler (tokenizer + TorchSharp encoder + heads, batched) against a plain-torch forward
/// (python/torch_chexbert.py on Debian's python3-torch, fed our ids, so its time has no tokenizer) on the same
/// BERT-base-shaped random checkpoint, which PyTorch writes and our reader loads, at 1 and 2 threads. Also checks
/// that both give the same argmax classes. Args: [reports=32] [rounds=2] [batch=16].
/// Set LLAVARAD_BENCH_BLAS_DIR as for `generate` to give the baseline an optimised BLAS.
/// </summary>
public sealed class CheXbertBenchmark : IBenchmark
{
    public string Name => "chexbert";

    private static readonly string[] Words =
        "no pleural effusion pneumothorax heart size is normal the lungs are clear mild cardiomegaly edema atelectasis tube line unchanged there left right lower lobe opacity consolidation of and with".Split(' ');

    public int Run(string[] args)
    {
        var reports = args.Length > 0 ? int.Parse(args[0]) : 32;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 2;
        var batch = args.Length > 2 ? int.Parse(args[2]) : 16;
        var dir = Path.Combine(Path.GetTempPath(), $"llavarad-bench-chexbert-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var script = Path.Combine(AppContext.BaseDirectory, "python", "torch_chexbert.py");
            PythonBaseline.Run(script, ["write", dir]);
            var random = new Random(7);
            var texts = Enumerable.Range(0, reports)
                .Select(_ => string.Join(" ", Enumerable.Range(0, random.Next(40, 90)).Select(i => Words[random.Next(Words.Length)] + (i % 9 == 8 ? "." : "")))).ToList();
            var labeler = CheXbertLabeler.Load(Path.Combine(dir, "chexbert.pth"), Path.Combine(dir, "vocab.txt"));
            var encoder = new CheXbertTextEncoder(BertVocabulary.Load(Path.Combine(dir, "vocab.txt")));
            var idsFile = Path.Combine(dir, "ids.json");
            File.WriteAllText(idsFile, JsonSerializer.Serialize(texts.Select(encoder.Encode)));
            var meanIds = texts.Average(t => encoder.Encode(t).Length);
            Console.WriteLine($"chexbert: BERT-base shape (12x768, 3072, vocab 30522), {reports} reports of {meanIds:F0} ids on average, batch {batch}, best of {rounds}");
            Console.WriteLine($"  PyTorch baseline BLAS: {Environment.GetEnvironmentVariable("LLAVARAD_BENCH_BLAS_DIR") ?? "the system libblas.so.3 (netlib reference BLAS on a default Debian 12)"}");
            var same = true;
            foreach (var threads in new[] { 1, 2 })
            {
                torch.set_num_threads(threads);
                IReadOnlyList<CheXbertResult> ours = labeler.Label(texts.Take(batch).ToList(), batch); // warm-up
                var time = BenchTiming.Best(rounds, () => ours = labeler.Label(texts, batch));
                using var reference = JsonDocument.Parse(PythonBaseline.Run(script, ["run", dir, idsFile, threads.ToString(), rounds.ToString(), batch.ToString()], blasThreads: threads));
                var torchRate = reference.RootElement.GetProperty("reports_per_s").GetDouble();
                var torchClasses = reference.RootElement.GetProperty("classes").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToList();
                var agree = ours.Select(r => r.Classes).Zip(torchClasses).All(p => p.First.SequenceEqual(p.Second));
                same &= agree;
                var rate = reports / time.TotalSeconds;
                Console.WriteLine($"  {threads} thread(s): ours {rate,7:F2} reports/s   PyTorch {reference.RootElement.GetProperty("torch").GetString()} {torchRate,7:F2} reports/s   ratio ours/PyTorch = {rate / torchRate:F2}   argmax identical: {agree}");
            }
            return same ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
