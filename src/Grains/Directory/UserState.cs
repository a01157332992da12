using AppMsg.Directory;

namespace AppMsg.Grains.Directory;

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)] public string? TenantId { get; set; }
    [Id(1)] public string Username { get; set; } = "";
    [Id(2)] public string DisplayName { get; set; } = "";
    [Id(3)] public string? AvatarUrl { get; set; }
    [Id(4)] public UserStatus Status { get; set; }
    [Id(5)] public string PasswordHash { get; set; } = "";
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Hashes of the live tokens, with their expiry.</summary>
    [Id(7)] public Dictionary<string, DateTimeOffset> Tokens { get; set; } = [];

    /// <summary>Addresses of the quns and orgs the user belongs to.</summary>
    [Id(8)] public HashSet<string> Memberships { get; set; } = [];

    /// <summary>Senders (<c>id@user</c>, <c>id@app</c>) whose messages this user does not receive.</summary>
    [Id(9)] public HashSet<string> Muted { get; set; } = [];
}
