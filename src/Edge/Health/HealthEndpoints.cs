using AppMsg.Cluster;

namespace AppMsg.Edge.Health;

/// <summary><c>/healthz</c>: the process is alive (no grain call). <c>/readyz</c>: a grain answers.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", async (IClusterClient client, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            try
            {
                var answer = await client.GetGrain<IClusterProbeGrain>(0).PingAsync().WaitAsync(ReadinessTimeout, cancellationToken);
                return Results.Ok(new { status = "ready", silo = answer.SiloName, serverTime = answer.ServerTime });
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                loggers.CreateLogger("AppMsg.Edge.Health").LogWarning("Not ready: {Reason}", e.Message);
                return Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The cluster does not answer",
                    extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.Unavailable });
            }
        });
        return endpoints;
    }
}
