namespace AppMsg.Edge.Media;

/// <summary>
/// Where media bytes live. The PostgreSQL store is the embedded default (<see cref="PostgresMediaStore"/>); an
/// S3-compatible store can take its place. A store never holds a whole object in memory.
/// </summary>
public interface IMediaStore
{
    /// <summary>
    /// Stores <paramref name="body"/> as a new media object of <paramref name="tenantId"/>, streaming; identical bytes
    /// of one tenant are kept once. Nothing is left behind when it throws (the body ended early, the caller went away).
    /// </summary>
    /// <exception cref="AppMsgException"><c>too_large</c> past <paramref name="maxBytes"/>; <c>unavailable</c> when the store fails.</exception>
    Task<StoredMedia> PutAsync(string tenantId, string uploader, string contentType, Stream body, long maxBytes, CancellationToken cancellation);

    /// <summary>The media object, or null when there is none.</summary>
    /// <exception cref="AppMsgException"><c>unavailable</c> when the store fails.</exception>
    Task<StoredMedia?> FindAsync(string mediaId, CancellationToken cancellation);

    /// <summary>Writes <paramref name="length"/> bytes of the object from <paramref name="offset"/> to <paramref name="destination"/>.</summary>
    Task CopyToAsync(StoredMedia media, long offset, long length, Stream destination, CancellationToken cancellation);

    /// <summary>The timelines of living messages that reference the media (at most <paramref name="limit"/>), for the read rule.</summary>
    Task<IReadOnlyList<string>> ReferencingTimelinesAsync(string mediaId, int limit, CancellationToken cancellation);
}
