using LlavaRad.Worker.Jobs;
using LlavaRad.Worker.Sources;

namespace LlavaRad.Worker.Tests.Sources;

public class StudyPrioritiesTests
{
    [Theory]
    [InlineData("routine", JobPriority.Routine)]
    [InlineData("urgent", JobPriority.Urgent)]
    [InlineData("asap", JobPriority.Stat)]
    [InlineData("stat", JobPriority.Stat)]
    [InlineData("STAT", JobPriority.Stat)]
    public void TheOrdersPriorityMapsToAJobPriority(string requestPriority, JobPriority expected) =>
        Assert.Equal(expected, StudyPriorities.FromOrder(requestPriority));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("whenever")]
    public void AnUnknownOrMissingOrderPrioritySaysNothing(string? requestPriority) =>
        Assert.Null(StudyPriorities.FromOrder(requestPriority));

    [Fact]
    public void AnEmergencyEncounterMakesARoutineOrderUrgent() =>
        Assert.Equal(JobPriority.Urgent, StudyPriorities.Decide("routine", "EMER", JobPriority.Routine));

    [Fact]
    public void AnEmergencyEncounterNeverLowersAStatOrder() =>
        Assert.Equal(JobPriority.Stat, StudyPriorities.Decide("stat", "EMER", JobPriority.Routine));

    [Theory]
    [InlineData("AMB")]
    [InlineData("IMP")]
    [InlineData(null)]
    public void OtherEncounterClassesLeaveTheOrderToDecide(string? encounterClass) =>
        Assert.Equal(JobPriority.Routine, StudyPriorities.Decide("routine", encounterClass, JobPriority.Urgent));

    [Fact]
    public void WithNoOrderAndNoEmergencyTheSourceDefaultApplies() =>
        Assert.Equal(JobPriority.Urgent, StudyPriorities.Decide(null, "AMB", JobPriority.Urgent));

    [Fact]
    public void AnEmergencyEncounterWithoutAnOrderIsUrgentEvenWhenTheSourceDefaultIsRoutine() =>
        Assert.Equal(JobPriority.Urgent, StudyPriorities.Decide(null, "EMER", JobPriority.Routine));
}
