using Grpc.Core;
using LlavaRad.Fhir;
using LlavaRad.Imaging;
using LlavaRad.Worker.Outcomes;

namespace LlavaRad.Worker.Tests.Pipeline;

/// <summary>Where retryability is decided: the server or network is retried, the request or the data is not.</summary>
public sealed class FailureOutcomesTests
{
    [Theory]
    [InlineData("dicomweb-unreachable", true)]
    [InlineData("dicomweb-timeout", true)]
    [InlineData("dicomweb-server-error", true)]
    [InlineData("dicomweb-not-found", false)]
    [InlineData("dicomweb-unauthorized", false)]
    [InlineData("no-frontal-view", false)]
    public void DicomWebFailuresAreRetriedOnlyWhenTheServerOrNetworkMayRecover(string code, bool transient) =>
        Assert.Equal(transient, FailureOutcomes.FromDicomWeb(code, "detail").Transient);

    [Theory]
    [InlineData("fhir-server-error", true)]
    [InlineData("fhir-unreachable", true)]
    [InlineData("fhir-not-found", false)]
    [InlineData("fhir-incomplete-resource", false)]
    public void FhirFailuresAreRetriedUnlessTheResourceIsMissingOrUnusable(string code, bool transient) =>
        Assert.Equal(transient, FailureOutcomes.From(new FhirStoreException(code, "m")).Outcome.Transient);

    [Theory]
    [InlineData(StatusCode.Unavailable, "inference-node-unavailable", true)]
    [InlineData(StatusCode.ResourceExhausted, "inference-node-busy", true)]
    [InlineData(StatusCode.InvalidArgument, "inference-request-rejected", false)]
    [InlineData(StatusCode.Internal, "inference-node-error", true)]
    public void InferenceNodeStatusesBecomeCodedOutcomes(StatusCode status, string code, bool transient)
    {
        var outcome = FailureOutcomes.From(new RpcException(new Status(status, "x"))).Outcome;
        Assert.Equal((code, transient), (outcome.Code, outcome.Transient));
    }

    [Fact]
    public void ATruncatedFolderFileIsRetriedAndOtherReadFailuresAreFinal()
    {
        Assert.True(FailureOutcomes.FromFolderFile(new DicomReadException(DicomReadException.Truncated, "short"), "a.dcm").Outcome.Transient);
        Assert.False(FailureOutcomes.FromFolderFile(new DicomReadException(DicomReadException.NotPart10, "no"), "a.dcm").Outcome.Transient);
    }

    [Fact]
    public void TheJobKeepsAFinalCodeAloneAndATransientOneWithItsDetail()
    {
        Assert.Equal("no-frontal-view", Outcome.Final("no-frontal-view", "lateral only").LastError);
        Assert.Equal("inference-node-unavailable: down", Outcome.Retry("inference-node-unavailable", "down").LastError);
    }
}
