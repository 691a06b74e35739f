using System.Text.Json;
using LlavaRad.Imaging.Part10;
using LlavaRad.Imaging.Selection;

namespace LlavaRad.Imaging.Tests;

public class FrontalChestSelectorTests
{
    private static readonly string Root = Path.Combine(ExternalTool.RepoRoot(), "sample-studies");

    public static TheoryData<string> Studies()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json")));
        return new(manifest.RootElement.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("folder").GetString()!));
    }

    [Theory]
    [MemberData(nameof(Studies))]
    public void SampleStudySelectionMatchesTheManifest(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json")));
        var study = manifest.RootElement.GetProperty("studies").EnumerateArray().Single(s => s.GetProperty("folder").GetString() == folder);
        var instances = study.GetProperty("files").EnumerateArray()
            .Select(f => new Part10ImageReader().Read(File.ReadAllBytes(Path.Combine(Root, f.GetProperty("path").GetString()!))).Attributes)
            .ToList();

        var result = FrontalChestSelector.Select(instances);

        var expected = study.GetProperty("expectedSelection");
        Assert.Equal(expected.GetProperty("outcome").GetString(), result.Outcome);
        if (expected.TryGetProperty("sopInstanceUid", out var uid)) Assert.Equal(uid.GetString(), result.SelectedSopInstanceUid);
        else Assert.Null(result.Selected);
    }

    [Fact]
    public void NoInstancesIsNoImages() => Assert.Equal(SelectionReasons.NoImages, FrontalChestSelector.Select([]).Outcome);

    [Fact]
    public void OnlyStructuredReportsAndCtAreAnUnsupportedModality()
    {
        var result = FrontalChestSelector.Select([Instance("1.1", modality: "SR"), Instance("1.2", modality: "CT")]);
        Assert.Equal(SelectionReasons.UnsupportedModality, result.Outcome);
        Assert.Equal(2, result.Verdicts.Count);
    }

    [Fact]
    public void PaBeatsAnApOfMorePixels()
    {
        var result = FrontalChestSelector.Select([Instance("1.1", view: "AP", rows: 3000), Instance("1.2", view: "PA", rows: 1000)]);
        Assert.Equal("1.2", result.SelectedSopInstanceUid);
    }

    [Fact]
    public void OriginalBeatsDerivedThenTheLargestWins()
    {
        var result = FrontalChestSelector.Select([
            Instance("1.1", imageType: "DERIVED\\PRIMARY", rows: 4000),
            Instance("1.2", rows: 2000),
            Instance("1.3", rows: 2500),
        ]);
        Assert.Equal("1.3", result.SelectedSopInstanceUid);
    }

    [Fact]
    public void ViewCodeSequenceStandsInForAMissingViewPosition()
    {
        var result = FrontalChestSelector.Select([Instance("1.1", view: null, viewCode: "399348003")]);
        Assert.Equal(SelectionReasons.Frontal, result.Outcome);
    }

    [Fact]
    public void LocalizersAndSecondaryImagesAreNeverChosen()
    {
        var result = FrontalChestSelector.Select([Instance("1.1", imageType: "ORIGINAL\\PRIMARY\\LOCALIZER"), Instance("1.2", imageType: "DERIVED\\SECONDARY")]);
        Assert.Equal(SelectionReasons.NoFrontalView, result.Outcome);
    }

    [Fact]
    public void ChestDescriptionCountsOnlyWhenBodyPartIsBlank()
    {
        Assert.Equal(SelectionReasons.Frontal, FrontalChestSelector.Select([Instance("1.1", bodyPart: null, description: "XR THORAX 1 VIEW")]).Outcome);
        Assert.Equal(SelectionReasons.NotChest, FrontalChestSelector.Select([Instance("1.1", bodyPart: "HAND", description: "XR CHEST")]).Outcome);
    }

    [Fact]
    public void DxForProcessingIsNotARadiographForTheModel()
    {
        var result = FrontalChestSelector.Select([Instance("1.1", sopClass: "1.2.840.10008.5.1.4.1.1.1.1.1")]);
        Assert.Equal(SelectionReasons.UnsupportedModality, result.Outcome);
    }

    private static DicomJsonDataset Instance(string uid, string modality = "DX", string? view = "PA", int rows = 2000,
        string imageType = "ORIGINAL\\PRIMARY", string? viewCode = null, string? bodyPart = "CHEST", string? description = null,
        string sopClass = ChestImageRules.DxForPresentation)
    {
        var attributes = new Dictionary<string, object>
        {
            ["00080018"] = new { vr = "UI", Value = new[] { uid } },
            ["00080016"] = new { vr = "UI", Value = new[] { sopClass } },
            ["00080060"] = new { vr = "CS", Value = new[] { modality } },
            ["00080008"] = new { vr = "CS", Value = imageType.Split('\\') },
            ["00280010"] = new { vr = "US", Value = new[] { rows } },
            ["00280011"] = new { vr = "US", Value = new[] { 2000 } },
        };
        if (view is not null) attributes["00185101"] = new { vr = "CS", Value = new[] { view } };
        if (bodyPart is not null) attributes["00180015"] = new { vr = "CS", Value = new[] { bodyPart } };
        if (description is not null) attributes["00081030"] = new { vr = "LO", Value = new[] { description } };
        if (viewCode is not null)
            attributes["00540220"] = new { vr = "SQ", Value = new[] { new Dictionary<string, object> { ["00080100"] = new { vr = "SH", Value = new[] { viewCode } } } } };
        return Assert.Single(DicomJsonDataset.ParseArray(JsonSerializer.Serialize(new[] { attributes })));
    }
}
