namespace AppMsg.Client.Media;

/// <summary>The edge refused a media request: the HTTP status and the problem's stable <c>code</c>.</summary>
public sealed class MediaException(int status, string? code, string message) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary><c>too_large</c>, <c>validation_failed</c>, <c>not_found</c>, <c>forbidden</c>, <c>unavailable</c>, ...</summary>
    public string? Code { get; } = code;
}
