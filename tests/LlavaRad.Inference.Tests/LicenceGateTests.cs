using Grpc.Core;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Model;

namespace LlavaRad.Inference.Tests;

/// <summary>Research-only weights (licence.json as import-weights writes it) are served only once the operator acknowledges the terms.</summary>
public sealed class LicenceGateTests : IDisposable
{
    private readonly TempDirectory _model = new();

    public LicenceGateTests()
    {
        TinyModelWriter.Write(_model.Path, TinyModelWriter.DefaultConfig, seed: 11);
        ModelLicence.OfficialLlavaRad.Write(_model.Path);
    }

    public void Dispose() => _model.Dispose();

    [Fact]
    public async Task ResearchOnlyWeightsWithoutTheAcknowledgementAreNotServedAndTheReasonNamesTheSetting()
    {
        await using var node = await RunningNode.StartAsync(_model.Path);
        var refused = await node.WaitForModelFailureAsync();
        Assert.Equal(InvalidModelException.LicenceNotAcknowledged, refused.Metadata["model_error"]);
        Assert.False(await node.Client.IsServingAsync());
    }

    [Fact]
    public async Task AcknowledgedResearchOnlyWeightsAreServedAndTheirIdentityCarriesTheLicence()
    {
        await using var node = await RunningNode.StartAsync(_model.Path, "http", "--Inference:Model:AcknowledgeResearchUseOnly=true");
        Assert.True(await node.Client.WaitUntilServingAsync(TimeSpan.FromSeconds(60)));
        var identity = (await node.Client.GetModelInfoAsync()).Identity;
        Assert.Equal(ModelLicence.OfficialLlavaRad.Licence, identity.Licence);
        Assert.True(identity.ResearchUseAcknowledged);
    }

    [Fact]
    public async Task OurOwnTinyModelNeedsNoAcknowledgement()
    {
        await using var node = await RunningNode.StartServingTinyModelAsync();
        var identity = (await node.Client.GetModelInfoAsync()).Identity;
        Assert.Equal("", identity.Licence);
        Assert.False(identity.ResearchUseAcknowledged);
    }
}
