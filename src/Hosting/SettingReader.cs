using Microsoft.Extensions.Configuration;

namespace AppMsg.Hosting;

/// <summary>
/// Reads a process setting by its environment name (<c>APPMSG_HTTP_PORT</c>) or, failing that,
/// by its configuration key (<c>AppMsg:HttpPort</c>), so both styles work everywhere.
/// </summary>
public static class SettingReader
{
    public static string? String(IConfiguration configuration, string environmentName, string key)
    {
        var value = configuration[environmentName] ?? configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <exception cref="StartupException">The value is not a port number.</exception>
    public static int Port(IConfiguration configuration, string environmentName, string key, int fallback)
    {
        var text = String(configuration, environmentName, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        throw new StartupException($"{environmentName} must be a port number from 1 to 65535, not '{text}'", ExitCodes.Configuration);
    }

    /// <exception cref="StartupException">The value is not a whole number in range.</exception>
    public static int Int(IConfiguration configuration, string environmentName, string key, int fallback, int min, int max)
    {
        var text = String(configuration, environmentName, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        throw new StartupException($"{environmentName} must be a whole number from {min} to {max}, not '{text}'", ExitCodes.Configuration);
    }

    /// <summary>One of an enum's names (any case); <paramref name="fallback"/> when unset.</summary>
    /// <exception cref="StartupException">The value names none of them.</exception>
    public static T Choice<T>(IConfiguration configuration, string environmentName, string key, T fallback)
        where T : struct, Enum
    {
        var text = String(configuration, environmentName, key);
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0]))
        {
            return value;
        }

        throw new StartupException(
            $"{environmentName} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'", ExitCodes.Configuration);
    }

    /// <exception cref="StartupException">No connection string is configured.</exception>
    public static string ConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("AppMsg");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupException("no database configured: set ConnectionStrings__AppMsg (for example \"Host=127.0.0.1;Port=5432;Database=appmsg;Username=postgres\")", ExitCodes.Configuration);
        }

        return connectionString;
    }
}
