using AppMsg.Grains.Directory;
using AppMsg.Grains.Timelines;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace AppMsg.Grains;

/// <summary>Registers what the grains need from their silo.</summary>
public static class GrainServices
{
    public static IServiceCollection AddAppMsgGrainServices(
        this IServiceCollection services,
        string connectionString,
        Action<DirectoryOptions>? directory = null,
        Action<Messaging.MessagingOptions>? messaging = null,
        Action<TimelinePrunerOptions>? pruning = null,
        Action<LoginThrottleOptions>? loginThrottle = null,
        Action<Security.SecretsOptions>? secrets = null,
        Action<ExpiredTokenSweepOptions>? tokenSweep = null)
    {
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        // What a grain call may throw: one rule (GrainFailures), applied to every call by one filter, and to
        // failures outside calls (a state read while activating) by letting Orleans serialize database exceptions.
        services.AddSingleton<IIncomingGrainCallFilter, GrainFailureFilter>();
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            var previous = o.SupportedExceptionTypeFilter;
            o.SupportedExceptionTypeFilter = type => previous?.Invoke(type) == true || GrainFailures.IsDatabaseExceptionType(type);
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<UserIndex>();
        services.AddSingleton<AppIndex>();
        services.AddSingleton<TenantIndex>();
        services.AddSingleton<TenantBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<TenantBackfill>());
        services.AddOptions<TimelineWriterOptions>();
        services.AddOptions<Messaging.MessagingOptions>().Configure(o => messaging?.Invoke(o));
        services.AddOptions<TimelinePrunerOptions>().Configure(o => pruning?.Invoke(o));
        services.AddSingleton<TimelinePruner>();
        services.AddHostedService(sp => sp.GetRequiredService<TimelinePruner>());
        services.AddSingleton<TimelineWriter>();
        services.AddSingleton<Media.MediaReferences>();
        services.AddOptions<Media.MediaPrunerOptions>();
        services.AddSingleton<Media.MediaPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<Media.MediaPruner>());
        services.AddSingleton<TimelineReader>();
        services.AddSingleton<CursorStore>();
        services.AddSingleton<AppMsg.Directory.TenantInfoCache>();
        services.AddSingleton<Statistics.StatsStore>();
        services.AddSingleton<MessageLocator>();
        services.AddSingleton<Conversations.ConversationIndex>();
        services.AddSingleton<Conversations.ConversationStore>();
        services.AddSingleton<Conversations.RecallStore>();
        services.AddSingleton<Sessions.LiveEdges>();
        services.AddSingleton<Sessions.RegisterBatchReader>();
        services.AddSingleton<Sessions.EdgeSessionQueries>();
        services.AddSingleton<Messaging.ReadingLists>();
        services.AddGroupDirectoryServices();
        services.AddPeopleDirectoryServices();
        services.AddOptions<DirectoryOptions>().Configure(o => directory?.Invoke(o));
        services.AddOptions<LoginThrottleOptions>().Configure(o => loginThrottle?.Invoke(o));
        services.AddOptions<ExpiredTokenSweepOptions>().Configure(o => tokenSweep?.Invoke(o));
        services.AddSingleton<ExpiredTokenSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiredTokenSweeper>());
        services.AddSingleton<Security.PasswordHashing>();
        services.AddOptions<Security.SecretsOptions>().Configure(o => secrets?.Invoke(o));
        services.AddSingleton<Security.SecretProtector>();
        return services;
    }
}
