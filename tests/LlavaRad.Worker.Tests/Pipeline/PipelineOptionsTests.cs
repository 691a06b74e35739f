using Microsoft.Extensions.Options;

namespace LlavaRad.Worker.Tests.Pipeline;

public class PipelineOptionsTests
{
    [Theory]
    [InlineData("--Pipeline:Concurrency=0", "Pipeline:Concurrency")]
    [InlineData("--Pipeline:ModelId=a|b", "Pipeline:ModelId")]
    [InlineData("--Audit:Sink=syslog", "Audit:Sink")]
    [InlineData("--Pipeline:SitePatientIdSystem=not a uri", "Pipeline:SitePatientIdSystem")]
    [InlineData("--Pipeline:PatientIssuerSystems:NVGH=a|b", "Pipeline:PatientIssuerSystems:NVGH")]
    [InlineData("--FolderSource:ScanInterval=00:00:00", "FolderSource:ScanInterval")]
    public async Task InvalidSettingsStopTheStartNamingTheSetting(string setting, string named)
    {
        using var dir = new TempDirectory();
        await using var app = WorkerHost.Build(["--urls=http://127.0.0.1:0", $"--JobStore:SqlitePath={dir.File("jobs.db")}", setting]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(named, error.Message);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
