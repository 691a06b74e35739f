using LlavaRad.Contracts.V1;

namespace LlavaRad.Inference;

public static class ServiceNames
{
    /// <summary>"llavarad.v1.ReportGenerator", the name grpc.health.v1 reports on.</summary>
    public static readonly string ReportGenerator = LlavaRad.Contracts.V1.ReportGenerator.Descriptor.FullName;
}
