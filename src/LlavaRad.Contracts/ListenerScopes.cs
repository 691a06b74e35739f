using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LlavaRad.Contracts;

/// <summary>
/// Keeps each route to the Kestrel listener it belongs to. Every connection is marked with the name of the listener
/// that accepted it; the Host header is not used, since a client chooses it. A route answers on the listener named
/// by its <see cref="OnListener{TBuilder}"/> metadata, or else on the default listener; anywhere else it is 404.
/// Connections of a listener not marked (Kestrel binding "urls" itself) may reach every route.
/// </summary>
public static class ListenerScopes
{
    private const string ConnectionItem = "llavarad.listener";

    /// <summary>Marks each connection this listener accepts with <paramref name="name"/>.</summary>
    public static void MarkConnections(this ListenOptions listen, string name) =>
        listen.Use(next => connection =>
        {
            connection.Items[ConnectionItem] = name;
            return next(connection);
        });

    /// <summary>Serves this route only on connections of the listener <paramref name="name"/>.</summary>
    public static TBuilder OnListener<TBuilder>(this TBuilder endpoint, string name) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new ListenerScope(name));

    /// <summary>Answers 404 for a route on another listener's connection; runs after routing has chosen the endpoint.</summary>
    public static TApp UseListenerScopes<TApp>(this TApp app, string defaultListener) where TApp : IApplicationBuilder
    {
        app.Use(async (context, next) =>
        {
            var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
            if (items is not null && items.TryGetValue(ConnectionItem, out var listener))
            {
                var routeListener = context.GetEndpoint()?.Metadata.GetMetadata<ListenerScope>()?.Name ?? defaultListener;
                if (!routeListener.Equals(listener))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    private sealed record ListenerScope(string Name);
}
