namespace AppMsg.Edge.Api;

/// <summary>Everything backends reach over HTTP besides messages: presence, callbacks, webhooks and dead letters.</summary>
public static class BackendEndpoints
{
    public static IEndpointRouteBuilder MapBackends(this IEndpointRouteBuilder api) => api.MapPresence().MapCallbacks().MapWebhooks();
}
