using Microsoft.Extensions.Logging;

namespace AppMsg.Hosting;

/// <summary>One-line console logs, the same in every AppMsg process.</summary>
public static class Logs
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        // Defaults; the Logging section of configuration (Logging__LogLevel__Orleans=Information) refines them.
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
    }

    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(Configure);
}
