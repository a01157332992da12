namespace AppMsg.Edge.Tests.HttpFuzz;

/// <summary>One generated request: what to send and a short description for the failure report.</summary>
internal sealed record FuzzRequest(
    int Index, string RouteName, HttpMethod Method, string Path, string? Authorization, byte[]? Body, string? ContentType, string Shape)
{
    /// <summary>A body over the edge's limit: the edge may answer 413 and close before reading it all.</summary>
    public bool Oversized { get; init; }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        // The edge answers an oversized body early and then closes the connection rather than read it all; a client
        // that sends one does not reuse its connection (the pool would hand the closed connection to the next request).
        message.Headers.ConnectionClose = Oversized ? true : null;
        if (Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        return message;
    }

    public override string ToString() =>
        $"#{Index} {Method} {(Path.Length > 200 ? Path[..200] + "..." : Path)} [{RouteName}] body: {Shape}, content type: {ContentType ?? "(none)"}, " +
        $"credential: {(Authorization is null ? "(none)" : Authorization.Length > 40 ? Authorization[..40] + "..." : Authorization)}";
}
