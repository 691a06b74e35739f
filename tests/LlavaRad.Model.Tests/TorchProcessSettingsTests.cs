namespace LlavaRad.Model.Tests;

public class TorchProcessSettingsTests
{
    [Fact]
    public void PassiveWaitPolicyReachesLibcUnlessTheOperatorChoseOne()
    {
        if (!OperatingSystem.IsLinux()) return;
        var policy = TorchProcessSettings.NativeValue(TorchProcessSettings.WaitPolicyVariable);
        var spin = TorchProcessSettings.NativeValue(TorchProcessSettings.SpinCountVariable);

        TorchProcessSettings.ApplyBeforeTorchLoads();

        // libgomp reads libc's environment, not .NET's copy: the value must be visible to getenv.
        var expected = policy ?? (spin is null ? TorchProcessSettings.DefaultWaitPolicy : null);
        Assert.Equal(expected, TorchProcessSettings.NativeValue(TorchProcessSettings.WaitPolicyVariable));
        Assert.Equal(spin, TorchProcessSettings.NativeValue(TorchProcessSettings.SpinCountVariable));
    }
}
