namespace AppMsg.Edge.Media;

/// <summary>One stored media object: an upload's id, owner and type, and the blob holding its bytes.</summary>
/// <param name="Sha256">Lower-case hex; also the download's ETag.</param>
/// <param name="Uploader">The uploader's address (<c>id@kind</c>), or <c>operator@app</c>.</param>
/// <param name="StoredNewBytes">Set by a put: true when the upload made a new blob, false when the tenant had these bytes already.</param>
public sealed record StoredMedia(string MediaId, string TenantId, string BlobId, string Uploader, string ContentType, long Size, string Sha256, int ChunkSize,
    bool StoredNewBytes = false);
