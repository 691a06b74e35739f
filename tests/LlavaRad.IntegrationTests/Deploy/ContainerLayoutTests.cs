using LlavaRad.Model;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// The images as compose runs them: each service is started from the published self-contained build with the
/// Dockerfile's ENTRYPOINT, ENV and WORKDIR, compose's environment, volumes, tmpfs and secrets, all read from
/// deploy/containers and deploy/compose. What a container engine would do is done here: paths in the image map
/// to the publish output, the copied scripts and scratch folders; ports map to free loopback ports; the site
/// systems (EHR, PACS, PostgreSQL) are the real test peers.
/// </summary>
[Collection(DeployCollection.Name)]
public class ContainerLayoutTests(PrivatePeers peers, PublishedServices published)
{
    private static readonly string DeployDirectory = Path.Combine(ExternalTool.RepoRoot(), "deploy");

    [Fact]
    public async Task NodeAndWorkerBecomeReadyStartedAsTheImagesAndTheComposeStackStartThem()
    {
        using var scratch = new TempDirectory("llavarad-deploy-containers");
        TinyModelWriter.Write(scratch.File("model"), TinyModelWriter.DefaultConfig, seed: 9);
        var compose = ComposeFile.Read(Path.Combine(DeployDirectory, "compose", "compose.yaml"),
            new Dictionary<string, string> { ["LLAVARAD_MODEL_DIR"] = scratch.File("model") });
        // Secret files, by compose secret name: their content is the site's (here: the peers').
        var secrets = new Dictionary<string, string>
        {
            ["ConnectionStrings__JobStore"] = peers.PostgresConnection,
            ["ORTHANC_PASSWORD"] = "not-checked-by-the-loopback-test-orthanc",
        };
        var ports = new PortMap();

        var node = Container.Start("node", "node.Dockerfile", published.NodeDirectory, compose, ports, secrets, Readiness.SiteOverrides(peers), scratch);
        using var nodeProcess = node.Process;
        var worker = Container.Start("worker", "worker.Dockerfile", published.WorkerDirectory, compose, ports, secrets, Readiness.SiteOverrides(peers), scratch);
        using var workerProcess = worker.Process;

        await Readiness.AssertNodeServingAsync(Readiness.NodeClientOptions(worker.Environment, []), nodeProcess, workerProcess);
        var healthcheck = worker.Image.Healthcheck;
        var workerPort = ports.Local(int.Parse(healthcheck[1]));
        await Readiness.AssertWorkerHealthyAsync(new Uri($"http://127.0.0.1:{workerPort}{Readiness.WorkerPath(healthcheck)}"), nodeProcess, workerProcess);

        // The images' HEALTHCHECK programs, run as the engine runs them, say healthy too.
        var nodeCheck = node.Image.Healthcheck;
        ExternalTool.Run(node.Layout.MapPath(nodeCheck[0]), ports.Local(int.Parse(nodeCheck[1])).ToString(), nodeCheck[2]);
        ExternalTool.Run(worker.Layout.MapPath(healthcheck[0]), workerPort.ToString(), Readiness.WorkerPath(healthcheck));
        // The HEALTHCHECK probes the operations listener, and compose publishes it to the host's loopback only.
        Assert.Equal(healthcheck[1], worker.Declared["Worker__Listeners__Operations__Port"]);
        var publishedPorts = compose.Service("worker").GetProperty("ports").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains($"127.0.0.1:{healthcheck[1]}:{healthcheck[1]}", publishedPorts);
        Assert.All(publishedPorts, p => Assert.StartsWith("127.0.0.1:", p));
    }
}
