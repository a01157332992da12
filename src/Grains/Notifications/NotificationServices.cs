using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Grains.Notifications;

/// <summary>Registers what offline notifications need from their silo.</summary>
public static class NotificationServices
{
    public static IServiceCollection AddAppMsgNotifications(this IServiceCollection services, Action<PushOptions>? configure = null)
    {
        services.AddOptions<PushOptions>().Configure(o => configure?.Invoke(o));
        services.AddSingleton<PushStore>();
        services.AddSingleton<PushCredentialCache>();
        services.AddSingleton<PushHttp>();
        services.AddSingleton<PushMetrics>();
        services.AddSingleton<ApnsSender>();
        services.AddSingleton<FcmSender>();
        services.AddSingleton<WebPushSender>();
        services.AddSingleton<Directory.StoredMutes>();
        services.AddSingleton<RecipientChecks>();
        services.AddSingleton<PushBadges>();
        services.AddSingleton<NotificationStats>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationStats>());
        services.AddSingleton<PushPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<PushPipeline>());
        return services;
    }
}
