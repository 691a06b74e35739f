namespace LlavaRad.Imaging.Tests;

public class DicomWebClientFailureTests
{
    [Fact]
    public async Task ClosedPortGivesTheUnreachableCode()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ClosedPort.Next()}/dicom-web/") };
        var error = await Assert.ThrowsAsync<DicomWebException>(() =>
            new DicomWebClient(http).SearchStudiesAsync(new Dictionary<string, string> { ["ModalitiesInStudy"] = "DX" }));
        Assert.Equal(DicomWebException.Unreachable, error.Code);
    }
}
