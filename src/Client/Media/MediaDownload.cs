namespace AppMsg.Client.Media;

/// <summary>A download in progress: read <see cref="Content"/> to its end, then dispose.</summary>
public sealed class MediaDownload(HttpResponseMessage response, Stream content) : IAsyncDisposable, IDisposable
{
    /// <summary>The bytes, streamed from the edge.</summary>
    public Stream Content { get; } = content;

    public string? ContentType => response.Content.Headers.ContentType?.ToString();

    /// <summary>The bytes in <see cref="Content"/> (the range's length for a range).</summary>
    public long? Length => response.Content.Headers.ContentLength;

    /// <summary>The whole object's SHA-256 (lower-case hex), from the ETag.</summary>
    public string? Sha256 => response.Headers.ETag?.Tag.Trim('"');

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        response.Dispose();
    }
}
