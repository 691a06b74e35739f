using LlavaRad.Contracts;
using LlavaRad.Model;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// The two-VM install: deploy/systemd/install.sh lays each service out under its own root (DESTDIR), and the
/// installed unit is started as systemd would start it (ExecStart, Environment/EnvironmentFile, credentials,
/// StateDirectory, WorkingDirectory), with mutual TLS between worker and node from test certificates placed
/// where the units load their credentials from.
/// </summary>
[Collection(DeployCollection.Name)]
public class SystemdLayoutTests(PrivatePeers peers, PublishedServices published)
{
    private const string NodeUnit = "llavarad-node.service";
    private const string WorkerUnit = "llavarad-worker.service";
    private static readonly string Repo = ExternalTool.RepoRoot();

    [Fact]
    public async Task NodeAndWorkerBecomeReadyOverMutualTlsStartedAsTheInstalledUnitsStartThem()
    {
        using var nodeVm = new TempDirectory("llavarad-vm-node");
        using var workerVm = new TempDirectory("llavarad-vm-worker");
        Install("node", published.NodeDirectory, nodeVm.Path);
        Install("worker", published.WorkerDirectory, workerVm.Path);
        var pki = new DeployPki();
        PlaceCertificates(nodeVm.Path, workerVm.Path, pki);
        PlaceModel(nodeVm.Path);

        var ports = new PortMap();
        // node.env asks for cuda (a GPU VM fails fast without one); this machine has none and a CPU build.
        var nodeOverrides = new Dictionary<string, string>(Readiness.SiteOverrides(peers)) { ["Inference:Device"] = "cpu" };
        var node = SystemdService.Start(NodeUnit, nodeVm.Path, ports, nodeOverrides);
        using var nodeProcess = node.Process;
        var worker = SystemdService.Start(WorkerUnit, workerVm.Path, ports, Readiness.SiteOverrides(peers),
            // worker.env turns FHIR notifications on, so the site must say who may post them (a drop-in credential).
            new Dictionary<string, string> { ["Fhir__Notifications__ExpectedAuthorization"] = $"Bearer {Guid.NewGuid():N}" });
        using var workerProcess = worker.Process;

        var nodeClient = Readiness.NodeClientOptions(worker.Environment, worker.Arguments);
        Assert.Equal("https", nodeClient.Address.Scheme);
        await Readiness.AssertNodeServingAsync(nodeClient, nodeProcess, workerProcess);
        var healthcheck = Dockerfile.Read(Path.Combine(Repo, "deploy", "containers", "worker.Dockerfile")).Healthcheck;
        // worker.env binds two listeners: operations (health, metrics) on loopback, notifications over TLS.
        Assert.Equal("127.0.0.1", DeclaredSetting(workerVm.Path, "Worker__Listeners__Operations__Address"));
        var operationsPort = worker.Environment.Single(e => e.Key == "Worker__Listeners__Operations__Port").Value;
        await Readiness.AssertWorkerHealthyAsync(new Uri($"http://127.0.0.1:{operationsPort}{Readiness.WorkerPath(healthcheck)}"), nodeProcess, workerProcess);
        var notificationsPort = worker.Environment.Single(e => e.Key == "Worker__Listeners__Notifications__Port").Value;
        await AssertNotificationsNeedTlsAsync(int.Parse(notificationsPort), pki.CaPem);

        // Mutual TLS is really on: without the worker's client certificate the node does not answer.
        nodeClient.ClientCertificatePath = nodeClient.ClientKeyPath = "";
        using (var anonymous = new InferenceNodeClient(nodeClient))
            Assert.False(await anonymous.IsServingAsync(), "the node answered a client without a certificate");
        // The job store is where the unit's StateDirectory keeps it.
        var sqlite = worker.Environment.Single(e => e.Key == "JobStore__SqlitePath").Value;
        Assert.StartsWith(worker.Environment.Single(e => e.Key == "STATE_DIRECTORY").Value + "/", sqlite);
        Assert.True(File.Exists(sqlite), $"no job store at {sqlite}");
    }

    private static void Install(string service, string publishDirectory, string root)
    {
        var script = Path.Combine(Repo, "deploy", "systemd", "install.sh");
        ExternalTool.Run(TimeSpan.FromMinutes(2), "env", $"DESTDIR={root}", "bash", script, service, publishDirectory);
    }

    // Each file goes where the unit loads the credential from that its TLS option names.
    private static void PlaceCertificates(string nodeRoot, string workerRoot, DeployPki pki)
    {
        var node = SystemdService.ReadInstalled(nodeRoot, NodeUnit);
        Write(nodeRoot, SystemdService.CredentialSourceFor(node, "Inference:Tls:CertificatePath"), pki.ServerCertificatePem);
        Write(nodeRoot, SystemdService.CredentialSourceFor(node, "Inference:Tls:KeyPath"), pki.ServerKeyPem);
        Write(nodeRoot, SystemdService.CredentialSourceFor(node, "Inference:Tls:ClientCaPath"), pki.CaPem);
        var worker = SystemdService.ReadInstalled(workerRoot, WorkerUnit);
        Write(workerRoot, SystemdService.CredentialSourceFor(worker, "InferenceNode:NodeCaPath"), pki.CaPem);
        Write(workerRoot, SystemdService.CredentialSourceFor(worker, "InferenceNode:ClientCertificatePath"), pki.ClientCertificatePem);
        Write(workerRoot, SystemdService.CredentialSourceFor(worker, "InferenceNode:ClientKeyPath"), pki.ClientKeyPem);
        // The notification listener's server certificate: the test's 127.0.0.1 certificate from the same CA.
        Write(workerRoot, SystemdService.CredentialSourceFor(worker, "Worker:Listeners:Notifications:CertificatePath"), pki.ServerCertificatePem);
        Write(workerRoot, SystemdService.CredentialSourceFor(worker, "Worker:Listeners:Notifications:KeyPath"), pki.ServerKeyPem);
    }

    // The EHR's side of the notification listener: TLS with the site CA reaches the endpoint (401 without the
    // expected Authorization), and plain HTTP gets no answer there.
    private static async Task AssertNotificationsNeedTlsAsync(int port, string caPem)
    {
        using var tls = new HttpClient(SiteCaHandler.Create(caPem)) { Timeout = Readiness.WorkerTimeout };
        using var posted = await tls.PostAsync($"https://127.0.0.1:{port}/fhir/notifications", new StringContent("{}"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, posted.StatusCode);
        using var plain = new HttpClient { Timeout = Readiness.WorkerTimeout };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.PostAsync($"http://127.0.0.1:{port}/fhir/notifications", new StringContent("{}")));
    }

    private static string DeclaredSetting(string root, string key) =>
        SystemdService.ReadInstalled(root, WorkerUnit).EnvironmentFiles
            .SelectMany(f => SystemdUnit.ReadEnvironmentFile(Path.Join(root, f))).Last(e => e.Key == key).Value;

    // The converted model goes where the installed node.env says the node finds it.
    private static void PlaceModel(string nodeRoot)
    {
        var unit = SystemdService.ReadInstalled(nodeRoot, NodeUnit);
        var modelDirectory = unit.EnvironmentFiles.SelectMany(f => SystemdUnit.ReadEnvironmentFile(Path.Join(nodeRoot, f)))
            .Last(e => e.Key == "Inference__ModelDirectory").Value;
        TinyModelWriter.Write(Path.Join(nodeRoot, modelDirectory), TinyModelWriter.DefaultConfig, seed: 11);
    }

    private static void Write(string root, string path, string content)
    {
        var file = Path.Join(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }
}
