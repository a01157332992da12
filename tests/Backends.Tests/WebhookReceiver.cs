using System.Collections.Concurrent;
using AppMsg.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AppMsg.Backends.Tests;

/// <summary>A real HTTP receiver on loopback (Kestrel) that records the webhook's requests and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private volatile WebhookBehaviour behaviour = WebhookBehaviour.Ok;

    private WebhookReceiver(WebApplication app, int port)
    {
        this.app = app;
        Url = $"http://127.0.0.1:{port}/hook";
    }

    public string Url { get; }

    public ConcurrentQueue<WebhookRequest> Requests { get; } = new();

    public WebhookBehaviour Behaviour
    {
        get => behaviour;
        set => behaviour = value;
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.MapPost("/hook", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers;
        var mode = behaviour;
        Requests.Enqueue(new WebhookRequest(
            headers["X-AppMsg-Timestamp"].ToString(), headers["X-AppMsg-Signature"].ToString(), headers["X-AppMsg-Delivery"].ToString(),
            int.TryParse(headers["X-AppMsg-Attempt"].ToString(), out var attempt) ? attempt : 0, body.ToArray(), DateTime.UtcNow, mode));
        switch (mode)
        {
            case WebhookBehaviour.Fail:
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            case WebhookBehaviour.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Ok();
            default:
                return Results.Ok();
        }
    }

    public Task<List<WebhookRequest>> WaitForAsync(Func<List<WebhookRequest>, bool> condition, string what, int seconds = 30) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Requests.ToList()), condition, TimeSpan.FromSeconds(seconds), what);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}

public enum WebhookBehaviour
{
    Ok,
    Fail,
    Hang,
}

/// <summary>One POST the receiver got.</summary>
public sealed record WebhookRequest(string Timestamp, string Signature, string DeliveryId, int Attempt, byte[] Body, DateTime ReceivedAt, WebhookBehaviour AnsweredWith)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public string Kind => Json.GetProperty("kind").GetString()!;
}
