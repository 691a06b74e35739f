using Grpc.Health.V1;
using Grpc.Net.ClientFactory;
using LlavaRad.Contracts;
using LlavaRad.Contracts.V1;
using LlavaRad.Worker.Options;
using Microsoft.Extensions.Options;

namespace LlavaRad.Worker;

/// <summary>
/// The node's report and health clients from Grpc.Net.ClientFactory, each channel configured by
/// <see cref="NodeChannel"/> exactly as a one-off client's is: target, primary handler (mTLS certificate,
/// node CA) and limits, resolver and balancer.
/// </summary>
public static class InferenceNodeRegistration
{
    public static IServiceCollection AddInferenceNodeClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InferenceNodeClientOptions>().Bind(configuration.GetSection(InferenceNodeClientOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceNodeClientOptions>, InferenceNodeOptionsValidator>();
        AddNodeClient<ReportGenerator.ReportGeneratorClient>(services);
        AddNodeClient<Health.HealthClient>(services);
        services.AddSingleton(sp => new InferenceNodeClient(sp.GetRequiredService<ReportGenerator.ReportGeneratorClient>(),
            sp.GetRequiredService<Health.HealthClient>(), Options(sp)));
        return services;
    }

    private static void AddNodeClient<TClient>(IServiceCollection services) where TClient : class =>
        services.AddGrpcClient<TClient>((sp, client) => client.Address = NodeChannel.Target(Options(sp)))
            .ConfigurePrimaryHttpMessageHandler(sp => NodeChannel.Handler(Options(sp)))
            .ConfigureChannel((sp, channel) => NodeChannel.Configure(channel, Options(sp)))
            // The factory keeps one channel per client for the process's life; a rotated handler would only
            // leave the channel's connections to the node behind.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

    private static InferenceNodeClientOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<InferenceNodeClientOptions>>().Value;
}
