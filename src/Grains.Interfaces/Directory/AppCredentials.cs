namespace AppMsg.Directory;

/// <summary>An app and its secret, shown once at creation and at rotation.</summary>
[GenerateSerializer, Immutable]
public sealed record AppCredentials([property: Id(0)] AppInfo App, [property: Id(1)] string Secret);
