namespace AppMsg.Edge.Api;

/// <summary>Routes for Contacts.</summary>
public static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder api) => api;
}
