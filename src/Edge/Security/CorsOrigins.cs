using AppMsg.Hosting;
using Microsoft.Extensions.Configuration;

namespace AppMsg.Edge.Security;

/// <summary>Reads <c>APPMSG_CORS_ORIGINS</c>: the browser origins allowed to call the API and open <c>/ws</c>.</summary>
public static class CorsOrigins
{
    /// <summary>The origins, normalized (<c>scheme://host[:port]</c>, lower case); empty when none are set.</summary>
    /// <exception cref="StartupException">An entry is not an http or https origin.</exception>
    public static IReadOnlyList<string> FromConfiguration(IConfiguration configuration)
    {
        var text = SettingReader.String(configuration, "APPMSG_CORS_ORIGINS", "AppMsg:CorsOrigins");
        if (text is null)
        {
            return [];
        }

        var origins = new List<string>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || entry.EndsWith('/') || uri.UserInfo.Length > 0)
            {
                throw new StartupException(
                    $"APPMSG_CORS_ORIGINS must be comma-separated origins such as https://app.example.com or http://localhost:3000 (scheme, host, optional port, no path), not '{entry}'",
                    ExitCodes.Configuration);
            }

            origins.Add(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
        }

        return origins;
    }
}
