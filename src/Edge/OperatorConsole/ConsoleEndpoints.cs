using AppMsg.Edge.Api;
using Microsoft.Extensions.FileProviders;

namespace AppMsg.Edge.OperatorConsole;

/// <summary>
/// The operator console at <c>/console</c>: static files copied into the edge's output at build time (its chart
/// library bundled from npm, nothing from elsewhere), and <c>/console/api/me</c>, which tells the page who a
/// credential is. The page calls the public API with the credential its user signed in with (docs/console.md).
/// </summary>
public static class ConsoleEndpoints
{
    public const string Path = "/console";

    // Only this edge's own files and calls; nothing inline, nothing framed.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Who the console's user is: the operator or an app (users have no console).</summary>
    public sealed record ConsoleIdentity(string Kind, string? TenantId, string? AppId);

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal),
            branch => branch.Use((context, next) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.CacheControl = "no-cache";
                if (context.Request.Path.Value == Path)
                {
                    // Relative links of the page resolve under /console/ only with the slash (routing would not tell them apart).
                    context.Response.Redirect(Path + "/");
                    return Task.CompletedTask;
                }

                return next(context);
            }));
        var root = System.IO.Path.Combine(AppContext.BaseDirectory, "console");
        if (System.IO.Directory.Exists(root))
        {
            var files = new PhysicalFileProvider(root);
            app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = Path, FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { RequestPath = Path, FileProvider = files });
        }
        else
        {
            // A build without the console's files (see AppMsg.Edge.csproj) says so rather than answering 404.
            app.MapGet(Path + "/", () => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "the console's files are not in this build: build the edge with node and npm installed")).ExcludeFromDescription();
        }

        app.MapGet(Path + "/api/me", (Caller caller) => caller.Kind switch
        {
            CallerKind.Operator => Results.Ok(new ConsoleIdentity("operator", null, null)),
            CallerKind.App => Results.Ok(new ConsoleIdentity("app", caller.TenantId, caller.AppId)),
            _ => throw new AppMsgException(ErrorCodes.Forbidden, "the console is for the operator (admin key) and app owners (appId:secret)"),
        });
        return app;
    }
}
