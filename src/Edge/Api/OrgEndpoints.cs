namespace AppMsg.Edge.Api;

/// <summary>Routes for Orgs.</summary>
public static class OrgEndpoints
{
    public static IEndpointRouteBuilder MapOrgs(this IEndpointRouteBuilder api) => api;
}
