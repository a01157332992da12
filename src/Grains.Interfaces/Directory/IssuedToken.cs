namespace AppMsg.Directory;

/// <summary>A login token: 32 ASCII characters, shown once; AppMsg keeps only its hash.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedToken([property: Id(0)] string Token, [property: Id(1)] DateTimeOffset ExpiresAt);
