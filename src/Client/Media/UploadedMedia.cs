namespace AppMsg.Client.Media;

/// <summary>The answer to an upload: the media id messages reference, a signed URL anyone may fetch until it expires, and what was stored.</summary>
public sealed record UploadedMedia(string Id, string Url, long Size, string ContentType, string Sha256);
