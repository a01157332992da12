namespace AppMsg.Messaging;

/// <summary>
/// The keys an edge indexes its connections by, and that group timelines publish to: a qun's or an
/// org's address for its direct members, <c>t@tenant</c> for every signed-in user of tenant t, and
/// <c>anonymous:t@tenant</c> for the tenant's anonymous sessions.
/// </summary>
public static class Audiences
{
    /// <summary>Every signed-in session of a tenant (tenant messages and app broadcasts).</summary>
    public static string TenantUsers(string tenantId) => $"{tenantId}@tenant";

    /// <summary>Every anonymous session of a tenant (app broadcasts only).</summary>
    public static string TenantAnonymous(string tenantId) => $"anonymous:{tenantId}@tenant";
}
