using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Grains.Directory;

/// <summary>Services of the qun and org grains.</summary>
public static class GroupDirectoryServices
{
    public static IServiceCollection AddGroupDirectoryServices(this IServiceCollection services)
    {
        services.AddSingleton<QunIndex>();
        services.AddSingleton<OrgIndex>();
        services.AddOptions<QunOptions>();
        return services;
    }
}
