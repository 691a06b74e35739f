using Hl7.Fhir.Model;

namespace LlavaRad.Fhir.Tests;

public class FhirStoreFailureTests
{
    [Fact]
    public async System.Threading.Tasks.Task ClosedPortGivesTheUnreachableCode()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ClosedPort.Next()}/fhir/R4/") };

        var error = await Assert.ThrowsAsync<FhirStoreException>(() => new FhirStore(http).CreateAsync(new Patient()));

        Assert.Equal(FhirStoreException.Unreachable, error.Code);
    }
}
