using Google.Protobuf;
using Google.Protobuf.Reflection;
using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference.Tests;

/// <summary>The generated code matches the contract DESIGN.md 4.1 describes.</summary>
public class ContractTests
{
    [Fact]
    public void ServiceIsVersionedAndHasTheThreeMethodsWithTheirStreamingKinds()
    {
        var service = ReportGenerator.Descriptor;
        Assert.Equal("llavarad.v1.ReportGenerator", service.FullName);
        Assert.Equal(["Generate", "GenerateStream", "GetModelInfo"], service.Methods.Select(m => m.Name).Order());
        Assert.False(service.FindMethodByName("Generate").IsServerStreaming);
        Assert.True(service.FindMethodByName("GenerateStream").IsServerStreaming);
        Assert.All(service.Methods, m => Assert.False(m.IsClientStreaming));
    }

    [Fact]
    public void RequestCarriesNoFieldForPatientIdentity()
    {
        var names = GenerateRequest.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).ToList();
        Assert.Equal(["request_id", "priority", "images", "indication", "options"], names);
    }

    [Fact]
    public void ResponseCarriesTextTokensLogprobsFinishReasonTimingsAndModel()
    {
        var fields = GenerateResponse.Descriptor.Fields;
        Assert.Equal(FieldType.Enum, fields.InFieldNumberOrder().Single(f => f.Name == "finish_reason").FieldType);
        Assert.True(fields.InFieldNumberOrder().Single(f => f.Name == "token_logprobs").IsRepeated);
        Assert.Contains(fields.InFieldNumberOrder(), f => f.Name == "timings");
        Assert.Contains(fields.InFieldNumberOrder(), f => f.Name == "model");
    }

    [Fact]
    public void MessagesSurviveAWireRoundTrip()
    {
        var request = new GenerateRequest
        {
            RequestId = "abc", Priority = Priority.Stat, Indication = "dyspnoea",
            Images = { new Image { Raw = new RawGrayImage { Width = 2, Height = 1, Pixels = Google.Protobuf.ByteString.CopyFrom(7, 9) } } },
            Options = new GenerationOptions { MaxNewTokens = 128, Seed = 5, Stop = { "\n\n" } },
        };
        Assert.Equal(request, GenerateRequest.Parser.ParseFrom(request.ToByteArray()));
    }
}
