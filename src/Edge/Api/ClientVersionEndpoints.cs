namespace AppMsg.Edge.Api;

/// <summary>Routes for ClientVersions.</summary>
public static class ClientVersionEndpoints
{
    public static IEndpointRouteBuilder MapClientVersions(this IEndpointRouteBuilder api) => api;
}
