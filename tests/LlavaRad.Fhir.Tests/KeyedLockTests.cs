using LlavaRad.Fhir.WriteBack;

namespace LlavaRad.Fhir.Tests;

public class KeyedLockTests
{
    [Fact]
    public async Task OneHolderPerKeyAndKeysAreForgottenAfterwards()
    {
        var locks = new KeyedLock();
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var held = await locks.AcquireAsync("same-key", CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref inside);
        })));

        Assert.Equal(1, maxInside);
        Assert.Equal(0, locks.ActiveKeys);
    }

    [Fact]
    public async Task DifferentKeysDoNotWaitForEachOther()
    {
        var locks = new KeyedLock();
        using var first = await locks.AcquireAsync("a", CancellationToken.None);

        var second = locks.AcquireAsync("b", CancellationToken.None);

        Assert.True(second.IsCompleted);
        (await second).Dispose();
    }

    [Fact]
    public async Task ACancelledWaiterLeavesNoTrace()
    {
        var locks = new KeyedLock();
        var held = await locks.AcquireAsync("k", CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.AcquireAsync("k", cancel.Token));
        held.Dispose();

        Assert.Equal(0, locks.ActiveKeys);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
