using AppMsg.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace AppMsg.Silo;

/// <summary>Puts a silo's PostgreSQL pools under its <see cref="SiloSettings.Database"/> budget.</summary>
public static class SiloConnectionBudget
{
    /// <summary>
    /// Sizes the grains' <see cref="NpgsqlDataSource"/> and the one pool Orleans' ADO.NET clustering, grain storage
    /// and reminders share, and checks the budget against the server at start. Call it after the grain services
    /// and Orleans are configured: it overrides their connection strings.
    /// </summary>
    public static HostApplicationBuilder UseConnectionBudget(this HostApplicationBuilder builder, SiloSettings settings)
    {
        var budget = settings.Database;
        var orleans = budget.ForOrleans(settings.ConnectionString);
        var grains = budget.ForGrains(settings.ConnectionString);
        builder.Services.PostConfigure<AdoNetClusteringSiloOptions>(o => o.ConnectionString = orleans);
        builder.Services.PostConfigureAll<AdoNetGrainStorageOptions>(o => o.ConnectionString = orleans);
        builder.Services.PostConfigure<AdoNetReminderTableOptions>(o => o.ConnectionString = orleans);
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => NpgsqlDataSource.Create(grains)));
        // First among the hosted services, before Orleans opens its own connections: they are not "others".
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new ConnectionBudgetCheck(
            settings.ConnectionString, budget, "silo", sp.GetRequiredService<ILogger<ConnectionBudgetCheck>>())));
        return builder;
    }
}
