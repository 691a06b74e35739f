using LlavaRad.Findings.Labeling;

namespace LlavaRad.Findings.Tests;

public class FindingsLabelerTests
{
    private readonly FindingsLabeler _labeler = new();

    [Theory]
    [InlineData("No pneumothorax or effusion.", Observation.PleuralEffusion, FindingStatus.Negative)]
    [InlineData("The effusion has resolved.", Observation.PleuralEffusion, FindingStatus.Negative)]
    [InlineData("No change in the small left effusion.", Observation.PleuralEffusion, FindingStatus.Positive)]
    [InlineData("Cannot exclude early pneumonia.", Observation.Pneumonia, FindingStatus.Uncertain)]
    [InlineData("Pneumonia cannot be excluded.", Observation.Pneumonia, FindingStatus.Uncertain)]
    [InlineData("Atelectasis versus pneumonia.", Observation.Atelectasis, FindingStatus.Uncertain)]
    [InlineData("Atelectasis versus pneumonia.", Observation.Pneumonia, FindingStatus.Uncertain)]
    [InlineData("No pneumothorax, but there is a small left effusion.", Observation.PleuralEffusion, FindingStatus.Positive)]
    [InlineData("The heart is not enlarged.", Observation.Cardiomegaly, FindingStatus.Negative)]
    [InlineData("Heart size is normal.", Observation.Cardiomegaly, FindingStatus.Negative)]
    [InlineData("Small pericardial effusion.", Observation.PleuralEffusion, FindingStatus.Blank)]
    [InlineData("Right hydropneumothorax.", Observation.Pneumothorax, FindingStatus.Positive)]
    [InlineData("Right hydropneumothorax.", Observation.PleuralEffusion, FindingStatus.Positive)]
    public void SentenceScopedCuesDecideTheState(string text, Observation observation, FindingStatus expected) =>
        Assert.Equal(expected, _labeler.Label(text).StatusOf(observation));

    [Fact]
    public void APositiveMentionAnywhereBeatsAnUncertainOrNegativeOne()
    {
        var labels = _labeler.Label("No effusion on the right. Possible small left effusion. Small left effusion on the lateral view.");
        Assert.Equal(FindingStatus.Positive, labels.StatusOf(Observation.PleuralEffusion));
        Assert.Equal("Small left effusion on the lateral view.", labels[Observation.PleuralEffusion].EvidenceSentence);
    }

    [Fact]
    public void NegationDoesNotCrossASentenceBoundary()
    {
        var labels = _labeler.Label("No pneumothorax. Small left effusion.");
        Assert.Equal(FindingStatus.Negative, labels.StatusOf(Observation.Pneumothorax));
        Assert.Equal(FindingStatus.Positive, labels.StatusOf(Observation.PleuralEffusion));
    }

    [Fact]
    public void TheCueThatDecidedIsRecorded() =>
        Assert.Equal("cannot be excluded", _labeler.Label("A small pneumothorax cannot be excluded.")[Observation.Pneumothorax].Cue);

    [Fact]
    public void NoFindingIsPositiveWhenNothingButDevicesIsPositiveOrUncertain()
    {
        var labels = _labeler.Label("Endotracheal tube in standard position. No pneumothorax or effusion. Heart size is normal.");
        Assert.Equal(FindingStatus.Positive, labels.StatusOf(Observation.NoFinding));
        Assert.Equal(FindingStatus.Positive, labels.StatusOf(Observation.SupportDevices));
    }

    [Theory]
    [InlineData("Small left pleural effusion.")]
    [InlineData("Possible small left pleural effusion.")]
    public void NoFindingIsBlankWhenAnyObservationIsPositiveOrUncertain(string text) =>
        Assert.Equal(FindingStatus.Blank, _labeler.Label(text).StatusOf(Observation.NoFinding));

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void EmptyTextIsAllBlank(string text) =>
        Assert.All(_labeler.Label(text).All, l => Assert.Equal(FindingStatus.Blank, l.Status));

    [Fact]
    public void ASiteCanShipItsOwnPhraseListsFromAFolder()
    {
        using var folder = new TempDirectory();
        foreach (var name in typeof(PhraseLists).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Phrases/")))
        {
            using var stream = typeof(PhraseLists).Assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(folder.File(name["Phrases/".Length..]));
            stream.CopyTo(file);
        }
        File.AppendAllText(folder.File("mentions.tsv"), "Pneumothorax\tfree pleural air\n");
        var labeler = new FindingsLabeler(PhraseLists.FromDirectory(folder.Path));
        Assert.Equal(FindingStatus.Positive, labeler.Label("Free pleural air at the apex.").StatusOf(Observation.Pneumothorax));
        Assert.Equal(FindingStatus.Blank, _labeler.Label("Free pleural air at the apex.").StatusOf(Observation.Pneumothorax));
    }

    [Fact]
    public void AMentionListNamingAnUnknownObservationIsRejectedWithItsLine()
    {
        using var folder = new TempDirectory();
        foreach (var name in typeof(PhraseLists).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Phrases/")))
            File.WriteAllText(folder.File(name["Phrases/".Length..]), "");
        File.WriteAllText(folder.File("mentions.tsv"), "# comment\nPneumothorax\tptx\nHernia\thiatal hernia\n");
        var error = Assert.Throws<FormatException>(() => PhraseLists.FromDirectory(folder.Path));
        Assert.Contains("mentions.tsv line 3", error.Message);
    }
}
