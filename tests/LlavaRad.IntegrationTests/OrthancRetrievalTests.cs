using System.Text.Json;
using LlavaRad.Imaging;
using LlavaRad.Imaging.DicomWeb;
using LlavaRad.Imaging.Grayscale;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Png;
using LlavaRad.Imaging.Selection;

namespace LlavaRad.IntegrationTests;

/// <summary>QIDO, WADO-RS metadata and instance retrieval, /rendered and /changes against the real Orthanc.</summary>
[Collection(PeersCollection.Name)]
public class OrthancRetrievalTests(Peers peers)
{
    private static readonly string SamplesRoot = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");
    private const string TwoSeriesStudy = "studies/pa-and-lateral-chest-dx-two-series";

    private DicomWebClient Client() => new(new HttpClient { BaseAddress = peers.DicomWebUrl });

    private static JsonElement Study(string folder)
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(SamplesRoot, "manifest.json"))).RootElement;
        return manifest.GetProperty("studies").EnumerateArray().Single(s => s.GetProperty("folder").GetString() == folder);
    }

    private async Task StoreStudyAsync(DicomWebClient client, string folder)
    {
        var files = Directory.GetFiles(Path.Combine(SamplesRoot, folder), "*.dcm").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var stored = await client.StoreAsync(files);
        Assert.Equal(files.Count, stored.StoredSopInstanceUids.Count);
    }

    [Fact]
    public async Task QidoFindsStoredStudiesByDateRangeWithLimitAndIncludefield()
    {
        var client = Client();
        await StoreStudyAsync(client, TwoSeriesStudy);
        var study = Study(TwoSeriesStudy);
        var date = study.GetProperty("studyDate").GetString()!;

        // Other tests store many copies of the samples under the same date, so the limit may cut this one off:
        // check the limit and the range on the whole answer, and find this study with its UID added to the query.
        var found = await client.SearchStudiesAsync([new("StudyDate", $"{date}-{date}"), new("includefield", "00081030"), new("limit", "3")]);
        Assert.InRange(found.Count, 1, 3);
        Assert.All(found, s => Assert.Equal(date, s.GetString(DicomTag.StudyDate)));
        var uid = study.GetProperty("studyInstanceUid").GetString()!;
        var match = Assert.Single(await client.SearchStudiesAsync(
            [new("StudyDate", $"{date}-{date}"), new("StudyInstanceUID", uid), new("includefield", "00081030")]));
        Assert.Equal(study.GetProperty("studyDescription").GetString(), match.GetString(DicomTag.StudyDescription));

        var instances = await client.SearchInstancesAsync(study.GetProperty("studyInstanceUid").GetString()!, [new("limit", "1")]);
        Assert.Single(instances);
    }

    [Fact]
    public async Task MetadataSelectionPicksThePaOfThePaAndLateralStudy()
    {
        var client = Client();
        await StoreStudyAsync(client, TwoSeriesStudy);
        var study = Study(TwoSeriesStudy);

        var metadata = await client.RetrieveStudyMetadataAsync(study.GetProperty("studyInstanceUid").GetString()!);
        var selection = FrontalChestSelector.Select(metadata);

        Assert.Equal(2, metadata.Count);
        Assert.Equal(study.GetProperty("expectedSelection").GetProperty("sopInstanceUid").GetString(), selection.SelectedSopInstanceUid);
        Assert.NotNull(((DicomJsonDataset)selection.Selected!).GetBulkDataUri(DicomTag.PixelData));
    }

    [Fact]
    public async Task FetcherReturnsThePixelsALocalConversionOfTheFileGives()
    {
        var client = Client();
        await StoreStudyAsync(client, TwoSeriesStudy);
        var study = Study(TwoSeriesStudy);
        var paFile = Path.Combine(SamplesRoot, TwoSeriesStudy, "series02-pa.dcm");
        var local = new Part10ImageReader().Read(File.ReadAllBytes(paFile));
        var expected = GrayscalePipeline.Convert(local.DecodeFirstFrame(), local.Attributes, GrayscaleProfile.MimicCxrJpg).Image;

        var result = await new FrontalImageFetcher(client, new Part10ImageReader(), GrayscaleProfile.MimicCxrJpg)
            .FetchAsync(study.GetProperty("studyInstanceUid").GetString()!);

        Assert.Equal(SelectionReasons.Frontal, result.Outcome);
        Assert.Equal(expected.Pixels, result.Image!.Pixels);
        // The default fetch asks for the stored syntax ("*") and decodes it locally (issue 13); no server transcoding.
        Assert.Contains(result.Steps, s => s.Contains("(asked *)"));
    }

    [Fact]
    public async Task FetcherGivesTheCodedReasonForALateralOnlyStudy()
    {
        var client = Client();
        await StoreStudyAsync(client, "studies/lateral-only-chest-dx");
        var result = await new FrontalImageFetcher(client, new Part10ImageReader(), GrayscaleProfile.Plain)
            .FetchAsync(Study("studies/lateral-only-chest-dx").GetProperty("studyInstanceUid").GetString()!);
        Assert.Equal(SelectionReasons.NoFrontalView, result.Outcome);
        Assert.Null(result.Image);
    }

    [Fact]
    public async Task JpegStoredInstanceIsTranscodedToExplicitLittleEndianOnRetrieval()
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(SamplesRoot, "studies/pa-chest-dx-8bit-no-window/series01-pa.dcm");
        var jpeg = temp.File("jpeg.dcm");
        ExternalTool.Run("dcmcjpeg", "+eb", "+ud", source, jpeg); // JPEG baseline, new SOP Instance UID so it is a distinct instance
        var client = new DicomWebClient(new HttpClient { BaseAddress = peers.DicomWebUrl },
            new DicomWebClientOptions { Retrieval = InstanceRetrieval.ServerTranscoding });
        await client.StoreAsync([await File.ReadAllBytesAsync(jpeg)]);
        var (study, series, sop) = (ExternalTool.DcmtkTag(jpeg, "0020,000d"), ExternalTool.DcmtkTag(jpeg, "0020,000e"), ExternalTool.DcmtkTag(jpeg, "0008,0018"));
        Assert.Equal(TransferSyntax.JpegBaselineUid, new Part10ImageReader().Read(File.ReadAllBytes(jpeg)).TransferSyntaxUid);

        var retrieved = await client.RetrieveInstanceAsync(study, series, sop);
        var decoded = new Part10ImageReader().Read(retrieved.Part10);

        Assert.Equal(TransferSyntax.ExplicitVrLittleEndianUid, decoded.TransferSyntaxUid);
        ExternalTool.Run("dcmj2pnm", "+Wm", jpeg, temp.File("dcmtk.pgm"));
        var ours = GrayscalePipeline.Convert(decoded.DecodeFirstFrame(), decoded.Attributes).Image;
        var theirs = ReadPgm(temp.File("dcmtk.pgm"));
        Assert.True(theirs.Zip(ours.Pixels, (a, b) => Math.Abs(a - b)).Max() <= 1);
    }

    /// <summary>
    /// The default path: the stored syntax is fetched and decoded here, with both server fallbacks switched off, so a
    /// draft-ready image can only come from our own J2K / JPEG-LS decode of what Orthanc stored.
    /// </summary>
    [Theory]
    [InlineData("gdcmconv --j2k", "1.2.840.10008.1.2.4.90")]
    [InlineData("dcmcjpls +el", "1.2.840.10008.1.2.4.80")]
    public async Task AJpeg2000OrJpegLsStudyIsDecodedLocallyFromTheStoredSyntax(string compressor, string expectedSyntax)
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(SamplesRoot, "studies/pa-chest-dx-12bit-rescaled/series01-pa.dcm");
        var compressed = temp.File("compressed.dcm");
        var tool = compressor.Split(' ');
        ExternalTool.Run(tool[0], [.. tool[1..], source, compressed]);
        ExternalTool.Run("dcmodify", "-nb", "-gst", "-gse", "-gin", compressed); // a distinct study in the shared Orthanc
        var syntax = new Part10ImageReader().Read(File.ReadAllBytes(compressed)).TransferSyntaxUid;
        Assert.Equal(expectedSyntax, syntax);
        var client = new DicomWebClient(new HttpClient { BaseAddress = peers.DicomWebUrl },
            new DicomWebClientOptions { TranscodeFallback = false, RenderedFallback = false });
        await client.StoreAsync([await File.ReadAllBytesAsync(compressed)]);

        var result = await new FrontalImageFetcher(client, new Part10ImageReader(), GrayscaleProfile.Plain)
            .FetchAsync(ExternalTool.DcmtkTag(compressed, "0020,000d"));

        Assert.True(result.Outcome == SelectionReasons.Frontal, $"{result.Outcome}: {string.Join("; ", result.Steps)}");
        Assert.Contains(result.Steps, s => s.Contains($"retrieved Part 10 in {syntax} (asked *)"));
        var local = new Part10ImageReader().Read(File.ReadAllBytes(source));
        var expected = GrayscalePipeline.Convert(local.DecodeFirstFrame(), local.Attributes).Image;
        Assert.Equal(expected.Pixels, result.Image!.Pixels); // lossless both: the same image as the native original
    }

    [Fact]
    public async Task RenderedFallbackIsUsedWhenTheInstanceCannotBeDecodedLocally()
    {
        var client = Client();
        await StoreStudyAsync(client, TwoSeriesStudy);
        var study = Study(TwoSeriesStudy);
        var paFile = Path.Combine(SamplesRoot, TwoSeriesStudy, "series02-pa.dcm");
        var local = new Part10ImageReader().Read(File.ReadAllBytes(paFile));
        var expected = GrayscalePipeline.Convert(local.DecodeFirstFrame(), local.Attributes).Image;

        // Stands in for a syntax with no local codec (JPEG 2000 and the like): our reader refuses, Orthanc renders.
        var result = await new FrontalImageFetcher(client, new NoLocalCodecReader(), GrayscaleProfile.Plain)
            .FetchAsync(study.GetProperty("studyInstanceUid").GetString()!);

        Assert.Equal(SelectionReasons.Frontal, result.Outcome);
        Assert.Contains(result.Steps, s => s.Contains("rendered by the server with window"));
        Assert.Equal((expected.Width, expected.Height), (result.Image!.Width, result.Image.Height));
        // Orthanc renders the same window with its own rounding: agree within 2 grey levels on nearly every pixel.
        var close = expected.Pixels.Zip(result.Image.Pixels, (a, b) => Math.Abs(a - b) <= 2).Count(x => x);
        Assert.True(close > expected.Pixels.Length * 0.99, $"{close} of {expected.Pixels.Length} pixels agree");
    }

    [Fact]
    public async Task ChangeFeedPagesWithACursorUntilDone()
    {
        var client = Client();
        await StoreStudyAsync(client, "studies/hand-dx-not-chest");
        var feed = new OrthancChangeFeed(new HttpClient { BaseAddress = new Uri(peers.OrthancUrl.ToString().TrimEnd('/') + "/") });

        var all = new List<OrthancChange>();
        long cursor = 0;
        for (var page = 0; page < 1000; page++)
        {
            var changes = await feed.ReadAsync(cursor, limit: 3);
            all.AddRange(changes.Changes);
            Assert.True(changes.Last >= cursor);
            cursor = changes.Last;
            if (changes.Done) break;
        }

        Assert.Contains(all, c => c.ChangeType == "NewInstance");
        Assert.Equal(all.Select(c => c.Seq).Distinct().Count(), all.Count);
        Assert.Equal(all.Select(c => c.Seq).Order(), all.Select(c => c.Seq));
        Assert.DoesNotContain((await feed.ReadAsync(cursor)).Changes, c => c.Seq <= cursor);
    }

    private sealed class NoLocalCodecReader : IDicomImageReader
    {
        public DicomImageSource Read(ReadOnlyMemory<byte> part10File)
        {
            var real = new Part10ImageReader().Read(part10File);
            return new DicomImageSource(real.Attributes, "1.2.840.10008.1.2.4.90",
                () => throw new DicomReadException(DicomReadException.CompressedTransferSyntaxUnsupported, "no local JPEG 2000 codec"));
        }
    }

    private static byte[] ReadPgm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes, 0, 32).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var (width, height) = (int.Parse(text[1]), int.Parse(text[2]));
        return bytes[^(width * height)..];
    }
}
