using AppMsg.Hosting;
using Orleans.Configuration;

namespace AppMsg.Edge.Cluster;

/// <summary>Puts an edge's PostgreSQL pool (its Orleans client's membership reads) under its <see cref="EdgeSettings.Database"/> budget.</summary>
public static class EdgeConnectionBudget
{
    /// <summary>Sizes the Orleans client's pool and checks the budget against the server at start; call it after the Orleans client is configured.</summary>
    public static WebApplicationBuilder UseConnectionBudget(this WebApplicationBuilder builder, EdgeSettings settings)
    {
        var orleans = settings.Database.ForOrleans(settings.ConnectionString);
        builder.Services.PostConfigure<AdoNetClusteringClientOptions>(o => o.ConnectionString = orleans);
        // First among the hosted services, before Orleans opens its own connections: they are not "others".
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => new ConnectionBudgetCheck(
            settings.ConnectionString, settings.Database, "edge", sp.GetRequiredService<ILogger<ConnectionBudgetCheck>>())));
        return builder;
    }
}
