namespace AppMsg.Directory;

/// <summary>An application as callers see it (never the secret).</summary>
[GenerateSerializer, Immutable]
public sealed record AppInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? WebhookUrl,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] AppMsg.Notifications.PushTemplate? PushTemplate = null);
