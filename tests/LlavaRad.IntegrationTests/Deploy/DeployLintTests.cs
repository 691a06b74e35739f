namespace LlavaRad.IntegrationTests.Deploy;

/// <summary>
/// tests/deploy-lint.sh from the test suite: yamllint, kubectl's offline build and decoding of the manifests,
/// the policy checks, systemd-analyze verify/security on the units, shellcheck. It installs a missing tool with
/// apt (tests/run.sh installs them up front).
/// </summary>
public class DeployLintTests
{
    [Fact]
    public void EveryDeploymentFilePassesTheOfflineLinters()
    {
        var script = Path.Combine(ExternalTool.RepoRoot(), "tests", "deploy-lint.sh");
        var output = ExternalTool.Run(TimeSpan.FromMinutes(5), "bash", script);
        Assert.Matches(@"deploy-lint: [1-9]\d* passed, 0 failed", output);
    }
}
