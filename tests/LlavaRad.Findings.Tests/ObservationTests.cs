namespace LlavaRad.Findings.Tests;

public class ObservationTests
{
    [Fact]
    public void ThereAreTheFourteenCheXpertObservations() => Assert.Equal(14, Enum.GetValues<Observation>().Length);
}
