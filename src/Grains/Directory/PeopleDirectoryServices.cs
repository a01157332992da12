using Microsoft.Extensions.DependencyInjection;

namespace AppMsg.Grains.Directory;

/// <summary>Services of contacts and client versions.</summary>
public static class PeopleDirectoryServices
{
    public static IServiceCollection AddPeopleDirectoryServices(this IServiceCollection services)
    {
        services.AddSingleton<ContactIndex>();
        services.AddOptions<PeopleDirectoryOptions>();
        return services;
    }
}
