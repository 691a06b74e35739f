namespace LlavaRad.Inference.Tests;

/// <summary>Queue order keys: priority is worth one aging step per level, so urgent work goes first but nothing starves.</summary>
public class PriorityOrderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Aging = TimeSpan.FromSeconds(30);

    [Fact]
    public void StatArrivingLaterGoesBeforeRoutineThatQueuedEarlier()
    {
        var routine = GenerationScheduler.OrderKey(Start, level: 0, Aging);
        var stat = GenerationScheduler.OrderKey(Start.AddSeconds(5), level: 2, Aging);
        Assert.True(stat < routine);
    }

    [Fact]
    public void RoutineThatWaitedLongerThanTwoAgingStepsGoesBeforeANewStat()
    {
        var routine = GenerationScheduler.OrderKey(Start, level: 0, Aging);
        var stat = GenerationScheduler.OrderKey(Start.AddSeconds(61), level: 2, Aging);
        Assert.True(routine < stat);
    }

    [Fact]
    public void UrgentSitsBetweenStatAndRoutineOfTheSameArrival()
    {
        var keys = new[] { 2, 1, 0 }.Select(level => GenerationScheduler.OrderKey(Start, level, Aging)).ToList();
        Assert.Equal(keys.Order(), keys);
    }
}
