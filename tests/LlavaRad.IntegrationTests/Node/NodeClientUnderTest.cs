using System.Collections;
using System.Globalization;
using LlavaRad.Contracts;
using LlavaRad.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlavaRad.IntegrationTests.Node;

/// <summary>
/// A client to the nodes built as the worker builds it (Grpc.Net.ClientFactory clients from its InferenceNode
/// settings) or as the CLI does (a one-off channel), so both ways meet the same real nodes.
/// </summary>
public sealed class NodeClientUnderTest : IDisposable
{
    private readonly ServiceProvider? _services;

    private NodeClientUnderTest(InferenceNodeClient client, ServiceProvider? services) => (Client, _services) = (client, services);

    public InferenceNodeClient Client { get; }

    public static NodeClientUnderTest Create(bool asTheWorkerBuildsIt, InferenceNodeClientOptions options)
    {
        if (!asTheWorkerBuildsIt) return new(new InferenceNodeClient(options), null);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(options)).Build();
        var services = new ServiceCollection().AddInferenceNodeClient(configuration).BuildServiceProvider(validateScopes: true);
        return new(services.GetRequiredService<InferenceNodeClient>(), services);
    }

    /// <summary>The options as configuration keys ("InferenceNode:Addresses:0", ...), the way a site writes them.</summary>
    private static Dictionary<string, string?> Settings(InferenceNodeClientOptions options)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var property in typeof(InferenceNodeClientOptions).GetProperties())
        {
            var key = $"{InferenceNodeClientOptions.Section}:{property.Name}";
            switch (property.GetValue(options))
            {
                case string text: settings[key] = text; break;
                case IEnumerable list:
                    var i = 0;
                    foreach (var item in list) settings[$"{key}:{i++}"] = item.ToString();
                    break;
                case IFormattable value: settings[key] = value.ToString(null, CultureInfo.InvariantCulture); break;
                case { } value: settings[key] = value.ToString(); break;
            }
        }
        return settings;
    }

    public void Dispose()
    {
        Client.Dispose();
        _services?.Dispose();
    }
}
