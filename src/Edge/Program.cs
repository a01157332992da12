using AppMsg.Edge;
using AppMsg.Hosting;

var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

using var loggerFactory = Logs.CreateFactory();
var logger = loggerFactory.CreateLogger("AppMsg.Edge");

try
{
    var settings = EdgeSettings.FromConfiguration(configuration);
    await StartupChecks.CheckDatabaseAsync(settings.ConnectionString);
    StartupChecks.CheckPortFree(settings.HttpPort, "APPMSG_HTTP_PORT");
    StartupChecks.CheckPortFree(settings.TcpPort, "APPMSG_TCP_PORT");
    if (settings.Tls is not null)
    {
        StartupChecks.CheckPortFree(settings.Tls.TcpPort, "APPMSG_TLS_TCP_PORT");
        StartupChecks.CheckPortFree(settings.Tls.HttpsPort, "APPMSG_HTTPS_PORT");
    }

    await using var app = EdgeHostBuilder.Create(settings, args).Build().MapEdge();
    await app.RunAsync();
    return ExitCodes.Ok;
}
catch (StartupException e)
{
    logger.LogCritical("AppMsg edge cannot start: {Reason}", e.Message);
    return e.ExitCode;
}
catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException)
{
    logger.LogCritical("AppMsg edge cannot start: {Reason}; choose other ports with APPMSG_HTTP_PORT / APPMSG_TCP_PORT", e.Message);
    return ExitCodes.PortInUse;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    logger.LogCritical(e, "AppMsg edge stopped on an unexpected error: {Reason}", e.Message);
    return ExitCodes.Failed;
}
catch (OperationCanceledException)
{
    // Stopped (Ctrl-C, SIGTERM) while still starting: a clean exit, not a crash.
    logger.LogInformation("AppMsg edge stopped during start-up");
    return ExitCodes.Ok;
}
