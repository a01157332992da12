using AppMsg.Hosting;
using AppMsg.Silo;
using AppMsg.Silo.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: AppMsg.Silo            start a silo (migrating the database first)
//        AppMsg.Silo migrate    migrate the database and exit
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args.Where(a => a != "migrate").ToArray())
    .Build();

using var loggerFactory = Logs.CreateFactory();
var logger = loggerFactory.CreateLogger("AppMsg.Silo");
var migrateOnly = args.Contains("migrate");

try
{
    var settings = SiloSettings.FromConfiguration(configuration);
    await StartupChecks.CheckDatabaseAsync(settings.ConnectionString);
    if (!migrateOnly)
    {
        StartupChecks.CheckPortFree(settings.SiloPort, "APPMSG_SILO_PORT");
        StartupChecks.CheckPortFree(settings.GatewayPort, "APPMSG_GATEWAY_PORT");
        StartupChecks.CheckPortFree(settings.MetricsPort, "APPMSG_METRICS_PORT");
    }

    await new DatabaseMigrator(settings.ConnectionString, logger).MigrateAsync();
    if (migrateOnly)
    {
        return ExitCodes.Ok;
    }

    using var host = SiloHostBuilder.Create(settings, args).Build();
    await host.RunAsync();
    return ExitCodes.Ok;
}
catch (StartupException e)
{
    logger.LogCritical("AppMsg silo cannot start: {Reason}", e.Message);
    return e.ExitCode;
}
catch (OperationCanceledException)
{
    // Stopped (Ctrl-C, SIGTERM) while still starting: a clean exit, not a crash.
    logger.LogInformation("AppMsg silo stopped during start-up");
    return ExitCodes.Ok;
}
catch (SchemaTooNewException e)
{
    logger.LogCritical("AppMsg silo cannot start: {Reason}", e.Message);
    return ExitCodes.SchemaTooNew;
}
catch (Npgsql.NpgsqlException e)
{
    logger.LogCritical("AppMsg silo cannot start: database error while migrating ({Reason}); nothing of the failed migration was applied", e.Message);
    return ExitCodes.Database;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    logger.LogCritical(e, "AppMsg silo stopped on an unexpected error: {Reason}", e.Message);
    return ExitCodes.Failed;
}
