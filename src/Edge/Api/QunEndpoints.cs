namespace AppMsg.Edge.Api;

/// <summary>Routes for Quns.</summary>
public static class QunEndpoints
{
    public static IEndpointRouteBuilder MapQuns(this IEndpointRouteBuilder api) => api;
}
