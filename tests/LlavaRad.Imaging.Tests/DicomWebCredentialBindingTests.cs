using LlavaRad.Contracts;
using System.Net;
using LlavaRad.Imaging.DicomWeb;

namespace LlavaRad.Imaging.Tests;

/// <summary>
/// Credentials belong to one base and go nowhere else; redirects are not followed; internal addresses reached by a
/// host name are refused. Requests go to listeners of the test's own on loopback.
/// </summary>
public sealed class DicomWebCredentialBindingTests
{
    private static DicomWebClientOptions Secret(Uri scope) => new()
    {
        Username = "pacs-user", Password = "pacs-secret-value", MaxRetries = 0, CredentialScope = scope,
    };

    private static HttpClient ClientFor(Uri baseAddress) => new(DicomWebConnectGuard.CreateHandler()) { BaseAddress = baseAddress };

    [Fact]
    public async Task CredentialsAreSentToTheirOwnBase()
    {
        using var pacs = new RecordingListener();
        var client = new DicomWebClient(ClientFor(pacs.Url), Secret(pacs.Url));

        await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveStudyMetadataAsync("1.2.3"));

        Assert.Contains(pacs.RequestHeads, h => h.Contains("Authorization: Basic", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task CredentialsAreNotAttachedToAnotherHost()
    {
        using var other = new RecordingListener();
        var client = new DicomWebClient(ClientFor(other.Url), Secret(new Uri("http://127.0.0.1:1/dicom-web/")));

        await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveStudyMetadataAsync("1.2.3"));

        var head = Assert.Single(other.RequestHeads);
        Assert.DoesNotContain("Authorization", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ARedirectToAnotherOriginIsNotFollowed()
    {
        using var elsewhere = new RecordingListener();
        using var pacs = new RecordingListener(
            $"HTTP/1.1 302 Found\r\nLocation: {elsewhere.Url}studies/1.2.3/metadata\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var client = new DicomWebClient(ClientFor(pacs.Url), Secret(pacs.Url));

        var error = await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveStudyMetadataAsync("1.2.3"));

        Assert.Equal(DicomWebException.RedirectRefused, error.Code);
        Assert.Equal(0, elsewhere.Connections);
        Assert.DoesNotContain("pacs-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://pacs.example/dicom-web", "http://PACS.example/dicom-web/studies/1", true)]
    [InlineData("http://pacs.example/dicom-web/", "http://pacs.example:80/dicom-web/", true)]
    [InlineData("http://pacs.example/dicom-web/", "http://pacs.example/dicom-web-other/", false)]
    [InlineData("http://pacs.example/dicom-web/", "http://pacs.example/dicom-web/../admin/", false)]
    [InlineData("http://pacs.example/dicom-web/", "http://pacs.example/dicom-web/%2e%2e/admin/", false)]
    [InlineData("http://pacs.example/dicom-web/", "http://user:pw@pacs.example/dicom-web/", false)]
    [InlineData("http://pacs.example/dicom-web/", "https://pacs.example/dicom-web/", false)]
    [InlineData("http://pacs.example/dicom-web/", "http://pacs.example:8042/dicom-web/", false)]
    [InlineData("http://pacs.example/dicom-web/", "http://pacs.example.evil/dicom-web/", false)]
    [InlineData("http://pacs.example/dicom-web/", "file:///etc/passwd", false)]
    public void ABaseCoversOnlyAddressesUnderItAfterNormalisation(string configured, string address, bool covered)
    {
        var allowed = new DicomWebBase(UrlScope.Normalize(configured)!, DicomWebCredentials.None);

        Assert.Equal(covered, allowed.Covers(new Uri(address)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.1.2.3", false)]
    [InlineData("192.0.2.7", false)]
    public void LoopbackLinkLocalAndMetadataAddressesCountAsInternal(string address, bool isInternal) =>
        Assert.Equal(isInternal, DicomWebConnectGuard.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public void CredentialsDoNotPrintTheirSecrets() =>
        Assert.DoesNotContain("pacs-secret-value", new DicomWebCredentials("u", "pacs-secret-value", "tok").ToString(), StringComparison.Ordinal);
}
