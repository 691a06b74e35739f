using System.Text.Json;
using LlavaRad.Model;
using LlavaRad.Model.Architecture;
using LlavaRad.Model.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace LlavaRad.Bench;

/// <summary>
/// Prefill time and greedy decode tokens/s of our TorchSharp model against a PyTorch implementation
/// (python/torch_generate.py on Debian's python3-torch) on the same mid-sized random model, prompt, image and
/// thread count, in one run, rounds alternating (each PyTorch round is its best of 2 in one process). Prints
/// best-of-N for both and the ratios (ours / PyTorch time; above 1 is slower).
/// Args: [threads=2] [new_tokens=64] [rounds=3].
/// Debian's python3-torch calls libblas.so.3, which is netlib's reference BLAS unless an optimised one is the
/// alternative; set LLAVARAD_BENCH_BLAS_DIR to a folder holding an optimised libblas.so.3 (e.g. the openblas-pthread
/// folder of Debian's libopenblas0-pthread) to give the baseline a fair BLAS without changing the system.
/// </summary>
public sealed class GenerateBenchmark : IBenchmark
{
    public string Name => "generate";

    // Mid-sized: a scaled-down LLaVA-Rad (8 decoder layers of width 512, ViT of width 256 on 224 px / 14 px patches).
    private static ModelConfig MidConfig => TinyModelWriter.DefaultConfig with
    {
        ModelId = "llava-rad-bench-mid",
        TextConfig = TinyModelWriter.DefaultConfig.TextConfig with
        {
            VocabSize = 4096, HiddenSize = 512, IntermediateSize = 1376, NumHiddenLayers = 8, NumAttentionHeads = 8,
            NumKeyValueHeads = 8, MaxPositionEmbeddings = 1024,
        },
        VisionConfig = TinyModelWriter.DefaultConfig.VisionConfig with
        {
            ImageSize = 224, PatchSize = 14, HiddenSize = 256, NumHiddenLayers = 6, NumAttentionHeads = 4, IntermediateSize = 1024,
        },
    };

    public int Run(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0]) : 2;
        var newTokens = args.Length > 1 ? int.Parse(args[1]) : 64;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 3;
        torch.set_num_threads(threads);
        var dir = Path.Combine(Path.GetTempPath(), $"llavarad-bench-{Guid.NewGuid():N}");
        try
        {
            TinyModelWriter.Write(dir, MidConfig, seed: 1);
            var size = MidConfig.VisionConfig.ImageSize;
            using var pixels = randn([1, 3, size, size], generator: new torch.Generator(2));
            var pixelsFile = Path.Combine(dir, "pixels.f32");
            File.WriteAllBytes(pixelsFile, pixels.bytes.ToArray());
            long[] prompt = [1, .. Enumerable.Range(0, 34).Select(i => 300L + i * 7), -200, .. Enumerable.Range(0, 22).Select(i => 500L + i * 3)];
            var specFile = Path.Combine(dir, "spec.json");
            File.WriteAllText(specFile, JsonSerializer.Serialize(new { prompt_ids = prompt, pixels_file = pixelsFile, new_tokens = newTokens }));

            using var model = LlavaRadModel.Load(ModelDirectory.Open(dir), CPU);
            var generator = new TextGenerator(model, tokenizer: null);
            var options = new GenerationOptions { MaxNewTokens = newTokens, StopStrings = [] };
            // Rounds alternate ours / PyTorch so both see the same machine load (shared CI machines are noisy).
            generator.Generate(new GenerationRequest(pixels, prompt), options); // warm-up
            var script = Path.Combine(AppContext.BaseDirectory, "python", "torch_generate.py");
            GenerationResult? best = null;
            double bestPrefill = double.MaxValue, bestDecode = 0, torchPrefill = double.MaxValue, torchDecode = 0;
            var torchVersion = "";
            var torchTokens = new List<int>();
            for (var i = 0; i < rounds; i++)
            {
                var result = generator.Generate(new GenerationRequest(pixels, prompt), options);
                bestPrefill = Math.Min(bestPrefill, (result.Timings.Vision + result.Timings.Prefill).TotalSeconds);
                bestDecode = Math.Max(bestDecode, result.Timings.DecodeTokensPerSecond(result.TokenIds.Count));
                best = result;

                using var reference = JsonDocument.Parse(PythonBaseline.Run(script, [dir, specFile, threads.ToString(), "2"]));
                torchPrefill = Math.Min(torchPrefill, reference.RootElement.GetProperty("prefill_s").GetDouble());
                torchDecode = Math.Max(torchDecode, reference.RootElement.GetProperty("decode_tokens_per_s").GetDouble());
                torchVersion = reference.RootElement.GetProperty("torch").GetString() ?? "";
                torchTokens = reference.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToList();
            }
            var sameTokens = best!.TokenIds.SequenceEqual(torchTokens);

            Console.WriteLine($"generate: mid config (text 8x512, vision 6x256 @224/14 = 256 patches), prompt {best.PromptLength} positions, {newTokens} new tokens, {threads} threads, best of {rounds}");
            Console.WriteLine($"  ours ({TorchDevice.RuntimeDescription})  prefill {bestPrefill * 1000,8:F1} ms   decode {bestDecode,7:F1} tok/s");
            Console.WriteLine($"  PyTorch baseline BLAS: {Environment.GetEnvironmentVariable("LLAVARAD_BENCH_BLAS_DIR") ?? "the system libblas.so.3 (netlib reference BLAS on a default Debian 12)"}");
            Console.WriteLine($"  PyTorch {torchVersion,-28}  prefill {torchPrefill * 1000,8:F1} ms   decode {torchDecode,7:F1} tok/s");
            Console.WriteLine($"  ratio prefill time ours/PyTorch = {bestPrefill / torchPrefill:F2}; decode time per token ours/PyTorch = {torchDecode / bestDecode:F2}");
            Console.WriteLine($"  greedy tokens identical: {sameTokens}");
            return sameTokens ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
