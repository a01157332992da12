using System.Security.Cryptography;
using System.Text;
using AppMsg.Edge.Api;
using Orleans.Dashboard;

namespace AppMsg.Edge.Dashboard;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>, for the operator only: the admin key as <c>Authorization: Bearer</c>,
/// or as the password of HTTP Basic authentication (any user name), which lets a browser open the page.
/// </summary>
public static class DashboardSetup
{
    public const string Path = "/dashboard";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<EdgeSettings>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                if (IsOperator(context.Request.Headers.Authorization.ToString(), settings.AdminKey))
                {
                    await AnswerAsync(context, next);
                    return;
                }

                context.Response.Headers.WWWAuthenticate = "Basic realm=\"AppMsg dashboard\", charset=\"UTF-8\"";
                await Problems.WriteAsync(context, Problems.Create(ErrorCodes.Unauthorized, "the Orleans dashboard needs the admin key (Bearer, or as the Basic password)"));
            }));
        app.MapOrleansDashboard(routePrefix: Path);
        return app;
    }

    /// <summary>
    /// Runs the dashboard's handler. It throws on a silo address or grain type it cannot read (the HTTP fuzz finds them):
    /// that is the caller's mistake, answered 400; a cluster that does not answer is 503, as everywhere else.
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(Path + "/Trace", StringComparison.OrdinalIgnoreCase))
        {
            // Live log streaming is off in every silo; say so in our own problem shape rather than the dashboard's.
            await Problems.WriteAsync(context, Problems.Create(ErrorCodes.Forbidden, "the dashboard's live trace is off"));
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            var unavailable = e is TimeoutException or Orleans.Runtime.OrleansException;
            await Problems.WriteAsync(context, unavailable
                ? Problems.Create(ErrorCodes.Unavailable, "the cluster did not answer the dashboard; retry later")
                : Problems.Create(ErrorCodes.ValidationFailed, "the dashboard cannot answer this request (an address, grain type or page it does not know)"));
        }
    }

    private static bool IsOperator(string header, string? adminKey)
    {
        if (adminKey is not { Length: > 0 })
        {
            return false;
        }

        string? presented = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            presented = BasicPassword(header["Basic ".Length..].Trim());
        }

        return presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(adminKey));
    }

    private static string? BasicPassword(string encoded)
    {
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..];
    }
}
