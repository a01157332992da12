namespace AppMsg.Directory;

/// <summary>What is needed to create an application.</summary>
/// <param name="TenantId">The tenant the app belongs to.</param>
/// <param name="Name">1 to 100 characters.</param>
/// <param name="WebhookUrl">An absolute http(s) URL that receives upstream messages, or null.</param>
[GenerateSerializer, Immutable]
public sealed record NewApp(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? WebhookUrl = null);
