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
                    await next(context);
                    return;
                }

                context.Response.Headers.WWWAuthenticate = "Basic realm=\"AppMsg dashboard\", charset=\"UTF-8\"";
                await Problems.WriteAsync(context, Problems.Create(ErrorCodes.Unauthorized, "the Orleans dashboard needs the admin key (Bearer, or as the Basic password)"));
            }));
        app.MapOrleansDashboard(routePrefix: Path);
        return app;
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
