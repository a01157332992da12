namespace AppMsg.Backends;

/// <summary>
/// Names the upstream timeline of an app: where messages that users address to <c>&lt;appId&gt;@app</c>
/// are stored, in order, until the app's backends acknowledge them. (An app's own sends to
/// <c>&lt;appId&gt;@app</c> are its broadcasts, a different timeline.)
/// </summary>
public static class AppUpstream
{
    /// <summary>The prefix that marks an upstream timeline key.</summary>
    public const string Prefix = "upstream:";

    /// <summary>The upstream timeline key of an app, <c>upstream:&lt;appId&gt;@app</c>.</summary>
    public static string TimelineOf(string appId) => $"{Prefix}{appId}@app";

    /// <summary>The app id of an upstream timeline key; false for any other timeline.</summary>
    public static bool TryGetAppId(string timeline, out string appId)
    {
        appId = "";
        if (!timeline.StartsWith(Prefix, StringComparison.Ordinal) || !timeline.EndsWith("@app", StringComparison.Ordinal))
        {
            return false;
        }

        appId = timeline[Prefix.Length..^"@app".Length];
        return appId.Length > 0;
    }
}
