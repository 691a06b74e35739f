using Grpc.Core;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference.Tests;

public class GenerationGateTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));

    private GenerationGate Gate(int capacity = 8) => new(new QueueOptions { Capacity = capacity, AgingStep = TimeSpan.FromSeconds(30) }, _clock);

    /// <summary>Occupies the device until the returned source is completed.</summary>
    private static (Task Running, TaskCompletionSource Finish) Occupy(GenerationGate gate)
    {
        var finish = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var running = gate.RunAsync(Priority.Routine, () => { started.SetResult(); finish.Task.Wait(); return 0; }, CancellationToken.None);
        started.Task.Wait(TimeSpan.FromSeconds(10));
        return (running, finish);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }

    [Fact]
    public async Task StatWaitingGoesBeforeRoutineThatQueuedEarlier()
    {
        var gate = Gate();
        var (running, finish) = Occupy(gate);
        var order = new List<string>();
        var routine = gate.RunAsync(Priority.Routine, () => { lock (order) order.Add("routine"); return 0; }, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var stat = gate.RunAsync(Priority.Stat, () => { lock (order) order.Add("stat"); return 0; }, CancellationToken.None);
        await WaitUntil(() => gate.Waiting == 2);

        finish.SetResult();
        await Task.WhenAll(running, routine, stat);

        Assert.Equal(["stat", "routine"], order);
    }

    [Fact]
    public async Task RoutineThatWaitedLongerThanTwoAgingStepsGoesBeforeANewStat()
    {
        var gate = Gate();
        var (running, finish) = Occupy(gate);
        var order = new List<string>();
        var routine = gate.RunAsync(Priority.Routine, () => { lock (order) order.Add("routine"); return 0; }, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var stat = gate.RunAsync(Priority.Stat, () => { lock (order) order.Add("stat"); return 0; }, CancellationToken.None);
        await WaitUntil(() => gate.Waiting == 2);

        finish.SetResult();
        await Task.WhenAll(running, routine, stat);

        Assert.Equal(["routine", "stat"], order);
    }

    [Fact]
    public async Task FullQueueIsRefusedAtOnceWithResourceExhausted()
    {
        var gate = Gate(capacity: 1);
        var (running, finish) = Occupy(gate);
        var waiting = gate.RunAsync(Priority.Routine, () => 1, CancellationToken.None);
        await WaitUntil(() => gate.Waiting == 1);

        var refused = await Assert.ThrowsAsync<RpcException>(() => gate.RunAsync(Priority.Stat, () => 2, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.StartsWith(GenerationGate.QueueFull, refused.Status.Detail);
        finish.SetResult();
        await Task.WhenAll(running, waiting);
    }

    [Fact]
    public async Task CancelledWaiterLeavesTheQueueAndNeverRuns()
    {
        var gate = Gate();
        var (running, finish) = Occupy(gate);
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var abandoned = gate.RunAsync(Priority.Urgent, () => ran = true, cancel.Token);
        await WaitUntil(() => gate.Waiting == 1);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(0, gate.Waiting);
        finish.SetResult();
        await running;

        Assert.False(ran);
        Assert.Equal(3, (await gate.RunAsync(Priority.Routine, () => 3, CancellationToken.None)).Result);
    }
}
