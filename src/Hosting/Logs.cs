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
    }

    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(Configure);
}
