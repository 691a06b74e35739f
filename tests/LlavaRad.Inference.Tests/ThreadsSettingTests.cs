namespace LlavaRad.Inference.Tests;

public class ThreadsSettingTests
{
    [Fact]
    public void NegativeThreadsAreRefusedNamingTheSetting()
    {
        var result = new InferenceNodeOptionsValidator().Validate(null, new InferenceNodeOptions { ModelDirectory = "m", Threads = -1 });
        Assert.True(result.Failed);
        Assert.Contains("Inference:Threads", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ZeroMeansLibtorchsDefaultAndAnyCountIsAccepted(int threads)
    {
        var result = new InferenceNodeOptionsValidator().Validate(null, new InferenceNodeOptions { ModelDirectory = "m", Threads = threads });
        Assert.False(result.Failed);
    }
}
