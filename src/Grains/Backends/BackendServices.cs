using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Grains.Backends;

/// <summary>Registers what the backend grains need from their silo.</summary>
public static class BackendServices
{
    public static IServiceCollection AddAppMsgBackends(this IServiceCollection services)
    {
        services.AddSingleton<WebhookSender>();
        return services;
    }
}
