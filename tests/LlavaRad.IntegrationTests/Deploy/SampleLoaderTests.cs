using System.Text.Json;

namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// The compose stack's one-shot load-samples job, started as compose starts it (its command, environment,
/// secret and sample-studies mount; the script from where its image copies it), against real Orthanc and FHIR
/// peers of this collection's own.
/// </summary>
[Collection(DeployCollection.Name)]
public class SampleLoaderTests(PrivatePeers peers)
{
    private const string Service = "load-samples";

    [Fact]
    public async Task ComposeLoaderPutsEverySampleStudyIntoOrthancAndPointsItsFhirEndpointAtTheDicomWebItWasGiven()
    {
        var repo = ExternalTool.RepoRoot();
        using var scratch = new TempDirectory("llavarad-deploy-loader");
        var compose = ComposeFile.Read(Path.Combine(repo, "deploy", "compose", "compose.yaml"), new Dictionary<string, string>());
        var image = Dockerfile.Read(Path.Combine(repo, "deploy", "containers", "fhir-server.Dockerfile"));
        var dicomWeb = peers.DicomWebUrl.ToString().TrimEnd('/');
        var layout = new HostLayout(new PortMap());
        layout.Override(new Dictionary<string, string>
        {
            ["ORTHANC_URL"] = peers.OrthancUrl.ToString(),
            ["DICOMWEB_URL"] = dicomWeb,
            ["FHIR_URL"] = peers.FhirUrl.ToString(),
        });
        foreach (var (target, source) in image.Copies) layout.Mount(target, Path.Combine(repo, source));
        foreach (var (source, target, _) in compose.Volumes(Service)) layout.Mount(target, source);
        var secrets = Directory.CreateDirectory(scratch.File("secrets")).FullName;
        foreach (var (_, target) in compose.Secrets(Service)) File.WriteAllText(Path.Combine(secrets, target), "loopback-orthanc-needs-none\n");
        layout.Mount("/run/secrets", secrets);

        var environment = image.Env.Concat(compose.Environment(Service))
            .Select(e => new KeyValuePair<string, string>(e.Key, layout.Relocate(e.Key, e.Value))).ToList();
        // The script reads /samples, the mount point; here the mount is the repository folder, which its override names.
        environment.Add(new("SAMPLES_DIR", layout.MapPath("/samples")));
        var command = compose.Command(Service).Select(a => a.StartsWith('/') ? layout.MapPath(a) : a).ToList();
        using var loader = new ServiceProcess(Service, command, environment, scratch.Path);
        Assert.True(await loader.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, loader.Log);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout.MapPath("/samples"), "manifest.json")));
        var studies = manifest.RootElement.GetProperty("studies").EnumerateArray().ToList();
        var files = studies.Sum(s => s.GetProperty("files").GetArrayLength());
        Assert.Contains($"loaded {files} instances and {studies.Count} FHIR bundles", loader.Log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var study in studies)
        {
            var uid = study.GetProperty("studyInstanceUid").GetString();
            using var found = JsonDocument.Parse(await http.GetStringAsync($"{dicomWeb}/studies?StudyInstanceUID={uid}"));
            Assert.Equal(1, found.RootElement.GetArrayLength());
        }
        using var endpoints = JsonDocument.Parse(await http.GetStringAsync(new Uri(peers.FhirUrl, "Endpoint")));
        var addresses = endpoints.RootElement.GetProperty("entry").EnumerateArray()
            .Select(e => e.GetProperty("resource").GetProperty("address").GetString()).ToList();
        Assert.Contains(dicomWeb, addresses);
        Assert.DoesNotContain(manifest.RootElement.GetProperty("dicomwebPlaceholder").GetString(), addresses);
    }
}
