using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Grains.Backends;

/// <summary>Registers what the backend grains need from their silo.</summary>
public static class BackendServices
{
    public static IServiceCollection AddAppMsgBackends(this IServiceCollection services, Action<SessionEventsOptions>? sessionEvents = null)
    {
        services.AddSingleton<WebhookSender>();
        services.AddOptions<SessionEventsOptions>().Configure(o => sessionEvents?.Invoke(o));
        return services;
    }
}
