namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class AppState
{
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string? WebhookUrl { get; set; }
    [Id(3)] public string SecretHash { get; set; } = "";
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The secret before the last rotation, still accepted until <see cref="PreviousSecretValidUntil"/>.</summary>
    [Id(5)] public string? PreviousSecretHash { get; set; }
    [Id(6)] public DateTimeOffset PreviousSecretValidUntil { get; set; }
    /// <summary>The title and body of its users' offline notifications; null: the defaults.</summary>
    [Id(7)] public AppMsg.Notifications.PushTemplate? PushTemplate { get; set; }
}
