using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace LlavaRad.Inference.Tests;

/// <summary>grpcurl-style tools discover the node: server reflection lists the services and serves their protos.</summary>
public sealed class ReflectionTests(ServingNodeFixture fixture) : IClassFixture<ServingNodeFixture>
{
    [Fact]
    public async Task AReflectionClientListsTheServicesAndGetsTheContractsFile()
    {
        var reflection = new ServerReflection.ServerReflectionClient(fixture.Channel);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "llavarad.v1.ReportGenerator" });
        await call.RequestStream.CompleteAsync();
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync();

        var services = replies[0].ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("llavarad.v1.ReportGenerator", services);
        Assert.Contains("grpc.health.v1.Health", services);
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(replies[1].FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("llavarad/v1/report_generator.proto", file.Name);
        Assert.Contains(file.Service, s => s.Name == "ReportGenerator" && s.Method.Count == 3);
    }
}
