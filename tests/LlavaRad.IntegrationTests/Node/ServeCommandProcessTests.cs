using System.Diagnostics;
using System.Text.Json;
using LlavaRad.Contracts;
using LlavaRad.Imaging;
using LlavaRad.Imaging.Png;
using LlavaRad.Model;
using LlavaRad.Model.Generation;
using LlavaRad.Model.Preprocessing;

namespace LlavaRad.IntegrationTests.Node;

/// <summary>`llavarad serve` and `llavarad generate --node` as the processes an operator runs.</summary>
public sealed class ServeCommandProcessTests
{
    [Fact]
    public async Task GenerateAgainstAServedNodeGivesTheLocalTokensAndTheNodeStopsCleanlyOnSigterm()
    {
        using var dir = new TempDirectory();
        var model = Path.Combine(dir.Path, "model");
        LoopbackNode.WriteTinyModel(model, seed: 5);
        var pixels = Enumerable.Range(0, 80 * 72).Select(i => (byte)(i * 13 % 251)).ToArray();
        var png = dir.File("chest.png");
        File.WriteAllBytes(png, PngGrayEncoder.Encode(new Gray8Image(80, 72, pixels)));
        var port = ClosedPort.Next();
        var log = new System.Text.StringBuilder();
        using var serve = StartCli(log, "serve", "--model", model, "--urls", $"http://127.0.0.1:{port}", "--device", "cpu", "--shutdown-grace", "5");
        try
        {
            using (var client = new InferenceNodeClient(new InferenceNodeClientOptions { Address = new Uri($"http://127.0.0.1:{port}") }))
                Assert.True(await client.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), $"serve never became SERVING:\n{log.Read()}");

            var generateLog = new System.Text.StringBuilder();
            using var generate = StartCli(generateLog, "generate", "--node", $"http://127.0.0.1:{port}", "--image", png, "--indication", "cough",
                "--max-new-tokens", "8", "--json");
            Assert.True(generate.WaitForExit(TimeSpan.FromSeconds(90)), $"generate did not finish:\n{generateLog.Read()}");
            generate.WaitForExit();
            Assert.Equal(0, generate.ExitCode);
            var json = generateLog.Read().Split('\n').First(l => l.StartsWith('{'));
            var remoteTokens = JsonDocument.Parse(json).RootElement.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();

            using var local = FindingsModel.Load(model, TorchSharp.torch.CPU);
            var expected = local.Generate(new PixelImage(80, 72, 1, pixels), "cough", new GenerationOptions { MaxNewTokens = 8 });
            Assert.Equal(expected.TokenIds, remoteTokens);

            using (var term = Process.Start("kill", ["-TERM", serve.Id.ToString()])) await term.WaitForExitAsync();
            Assert.True(serve.WaitForExit(TimeSpan.FromSeconds(30)), $"serve did not stop on SIGTERM:\n{log.Read()}");
            Assert.Equal(0, serve.ExitCode);
        }
        finally
        {
            if (!serve.HasExited) serve.Kill(entireProcessTree: true);
        }
    }

    private static Process StartCli(System.Text.StringBuilder log, params string[] args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        return CliProcess.Start(Path.Combine(ExternalTool.RepoRoot(), "src", "LlavaRad.Cli", "bin", configuration, "net10.0", "llavarad.dll"), log, args);
    }
}
