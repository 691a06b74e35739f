using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LlavaRad.Worker.Listeners;

/// <summary>The listeners as Kestrel bound them: after start each one's address carries the port chosen for port 0.</summary>
public sealed class BoundListeners
{
    private readonly Dictionary<string, (ListenOptions Listen, bool Tls)> _listeners = [];

    internal void Add(string name, ListenOptions listen, bool tls) => _listeners[name] = (listen, tls);

    /// <summary>The base address of <see cref="WorkerListeners.Notifications"/> or <see cref="WorkerListeners.Operations"/>.</summary>
    public Uri Address(string name)
    {
        var (listen, tls) = _listeners.TryGetValue(name, out var found) ? found
            : throw new InvalidOperationException($"no {name} listener: the worker was started with \"urls\"");
        return new UriBuilder(tls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, listen.IPEndPoint!.Address.ToString(), listen.IPEndPoint.Port).Uri;
    }
}
