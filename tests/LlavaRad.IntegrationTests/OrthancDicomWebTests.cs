using LlavaRad.Imaging;

namespace LlavaRad.IntegrationTests;

[Collection(PeersCollection.Name)]
public class OrthancDicomWebTests(Peers peers)
{
    [Fact]
    public async Task StoredSampleStudyIsFoundAgainThroughQido()
    {
        var file = SampleFiles.First();
        var studyUid = ExternalTool.DcmtkTag(file, "0020,000d");
        var modality = ExternalTool.DcmtkTag(file, "0008,0060");
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var client = new DicomWebClient(http);

        var stored = await client.StoreAsync([await File.ReadAllBytesAsync(file)]);
        var found = await client.SearchStudiesAsync(new Dictionary<string, string>
        {
            ["StudyInstanceUID"] = studyUid,
            ["includefield"] = "ModalitiesInStudy",
        });

        Assert.Single(stored.StoredSopInstanceUids);
        Assert.Empty(stored.Failures);
        var study = Assert.Single(found);
        Assert.Equal(studyUid, study.GetString(DicomTag.StudyInstanceUid));
        Assert.Equal(modality, study.GetString(DicomTag.ModalitiesInStudy));
        Assert.Equal(1, study.GetInt(DicomTag.NumberOfStudyRelatedInstances));
    }

    [Fact]
    public async Task GarbageUploadIsRefusedWithACodedReason()
    {
        using var http = new HttpClient { BaseAddress = peers.DicomWebUrl };
        var error = await Assert.ThrowsAsync<DicomWebException>(() => new DicomWebClient(http).StoreAsync([[1, 2, 3, 4]]));
        Assert.Contains(error.Code, new[] { DicomWebException.HttpError, DicomWebException.StoreRejected });
    }

    [Fact]
    public void OrthancListensOnLoopbackOnly()
    {
        var listeners = LoopbackSockets.ListeningAddresses(peers.OrthancUrl.Port);
        Assert.NotEmpty(listeners);
        Assert.All(listeners, address => Assert.True(LoopbackSockets.IsLoopback(address), $"Orthanc listens on {address}"));
    }

    private static IEnumerable<string> SampleFiles =>
        Directory.EnumerateFiles(Path.Combine(ExternalTool.RepoRoot(), "sample-studies"), "*.dcm", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);
}
