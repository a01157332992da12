using AppMsg.BackendProbe;
using AppMsg.Backends;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

// A backend of one app, as a separate process: an Orleans client that subscribes an observer to the app's
// upstream, renews the subscription every 5 s, prints what it receives as JSON lines and acknowledges it.
// Usage: AppMsg.BackendProbe --connection <npgsql> --cluster <id> --app <appId> --name <backend name>
//        [--mode shared|broadcast] [--session-events] [--ack-timeout <s>] [--fail-first <n>] [--no-ack]
ProbeOptions options;
try
{
    options = ProbeOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"backend probe: {e.Message}");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Orleans", LogLevel.Error);
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = options.ClusterId;
        o.ServiceId = options.ClusterId;
    });
    client.UseAdoNetClustering(o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = options.ConnectionString;
    });
    client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
    client.UseConnectionRetryFilter<RetryForever>();
});
using var host = builder.Build();
await host.StartAsync();

var cluster = host.Services.GetRequiredService<IClusterClient>();
var output = new ProbeOutput();
var observer = new ProbeObserver(cluster, options, output);
var reference = cluster.CreateObjectReference<IBackendObserver>(observer);
var upstream = cluster.GetGrain<IAppUpstreamGrain>(options.AppId);
var subscribed = false;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

using var renew = new PeriodicTimer(TimeSpan.FromSeconds(5));
do
{
    try
    {
        await upstream.SubscribeAsync(reference, options.Subscription);
        if (!subscribed)
        {
            subscribed = true;
            output.Write(new { @event = "subscribed", name = options.Subscription.Name });
        }
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        output.Write(new { @event = "subscribe-failed", reason = e.Message });
    }
}
while (await WaitAsync(renew, stop.Token));

GC.KeepAlive(observer);
await host.StopAsync();
return 0;

static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
{
    try
    {
        return await timer.WaitForNextTickAsync(token);
    }
    catch (OperationCanceledException)
    {
        return false;
    }
}
