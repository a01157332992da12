using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace AppMsg.Edge.Tests.HttpFuzz;

/// <summary>
/// One route of the edge as the fuzzer sees it, read from the app's own endpoint metadata, so that a route
/// added later is fuzzed without touching the test.
/// </summary>
internal sealed record FuzzRoute(string Pattern, string[] Methods, string[] RouteParameters, Type[] QueryTypes, string[] QueryNames, Type? BodyType)
{
    private static readonly HashSet<Type> SimpleTypes =
        [typeof(string), typeof(int), typeof(int?), typeof(long), typeof(long?), typeof(bool), typeof(bool?)];

    /// <summary>Every route endpoint of the running edge.</summary>
    public static IReadOnlyList<FuzzRoute> All(EndpointDataSource endpoints) =>
        [.. endpoints.Endpoints.OfType<RouteEndpoint>().Select(Of).OrderBy(r => r.Pattern, StringComparer.Ordinal)];

    private static FuzzRoute Of(RouteEndpoint endpoint)
    {
        var pattern = endpoint.RoutePattern.RawText ?? "/";
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToArray() is { Length: > 0 } m ? m : ["GET"];
        var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToArray();
        var body = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
        var query = handler?.GetParameters()
            .Where(p => p.Name is not null && SimpleTypes.Contains(p.ParameterType) && !routeParameters.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
            .ToArray() ?? [];
        return new FuzzRoute(pattern, methods, routeParameters, [.. query.Select(p => p.ParameterType)], [.. query.Select(p => p.Name!)], body);
    }

    /// <summary>The JSON property names and types of a request body type (camelCase, as the API reads them).</summary>
    public static IReadOnlyList<(string Name, Type Type)> FieldsOf(Type type) =>
        type == typeof(JsonElement) || type == typeof(JsonElement?) || type.IsPrimitive || type == typeof(string)
            ? []
            : [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite || p.GetMethod is not null)
                .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.PropertyType))];
}
