using AppMsg.Bench.SignalRPeer;

// Usage: SignalRPeer (PEER_PORT, default 5100): a SignalR hub at /hub on 127.0.0.1, /healthz for readiness.
var port = int.TryParse(Environment.GetEnvironmentVariable("PEER_PORT"), out var p) ? p : 5100;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port));
builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 64 * 1024);

var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.MapHub<BenchHub>("/hub");
await app.RunAsync();
