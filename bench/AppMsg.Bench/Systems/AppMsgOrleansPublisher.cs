using AppMsg.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace AppMsg.Bench.Systems;

/// <summary>A backend publishing as an Orleans client of the cluster: <c>ITimelineGrain.AppendAsync</c>, answered after the commit.</summary>
public sealed class AppMsgOrleansPublisher : IBenchPublisher
{
    private const string Sender = "operator@app";
    private readonly IHost host;
    private readonly IClusterClient cluster;

    private AppMsgOrleansPublisher(IHost host)
    {
        this.host = host;
        cluster = host.Services.GetRequiredService<IClusterClient>();
    }

    public static async Task<AppMsgOrleansPublisher> ConnectAsync(string connectionString, string clusterId, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "appmsg";
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new AppMsgOrleansPublisher(host);
    }

    public Task PublishAsync(string group, string payload, CancellationToken cancellationToken)
    {
        var timeline = $"{group}@qun";
        return cluster.GetGrain<ITimelineGrain>(timeline).AppendAsync(new NewMessage(Sender, timeline, "custom", payload));
    }

    public Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (user, _) =>
        {
            var timeline = $"{user.Id}@user";
            await cluster.GetGrain<ITimelineGrain>(timeline).AppendAsync(new NewMessage(Sender, timeline, "custom", payload));
        });

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(TimeSpan.FromSeconds(10));
        host.Dispose();
    }
}
