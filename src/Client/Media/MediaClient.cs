using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AppMsg.Client.Media;

/// <summary>
/// Uploads and downloads media over the edge's HTTP API (<c>POST /v1/media</c>, <c>GET /v1/media/{id}</c>), streaming
/// both ways: neither holds a whole object in memory.
/// </summary>
/// <param name="http">An HttpClient whose BaseAddress is the edge's HTTP address (http://host:8080/).</param>
/// <param name="credential">A user's login token, <c>appId:secret</c> or the admin key; null for signed URLs only.</param>
public sealed class MediaClient(HttpClient http, string? credential)
{
    /// <summary>Uploads <paramref name="content"/> as <paramref name="contentType"/>; the stream is read to its end, not buffered.</summary>
    /// <exception cref="MediaException">The edge refused it (<c>too_large</c>, <c>validation_failed</c> for a declared image that is not one, ...).</exception>
    public async Task<UploadedMedia> UploadAsync(Stream content, string contentType, CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/media") { Content = new StreamContent(content, 256 * 1024) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (content.CanSeek)
        {
            request.Content.Headers.ContentLength = content.Length - content.Position;
        }

        Authorize(request);
        using var response = await http.SendAsync(request, cancellation);
        await EnsureSuccessAsync(response, cancellation);
        return await response.Content.ReadFromJsonAsync<UploadedMedia>(JsonSerializerOptions.Web, cancellation)
            ?? throw new MediaException((int)response.StatusCode, null, "the edge answered an empty upload result");
    }

    /// <summary>
    /// Starts a download of a media id (with this client's credential) or of a signed URL (absolute, or a path with
    /// <c>?exp=&amp;sig=</c>, sent without a credential); <paramref name="offset"/> and <paramref name="length"/> ask for a range.
    /// </summary>
    /// <exception cref="MediaException"><c>not_found</c>, <c>forbidden</c> (an expired or altered signed URL), <c>range_not_satisfiable</c>, ...</exception>
    public async Task<MediaDownload> DownloadAsync(string idOrUrl, long? offset = null, long? length = null, CancellationToken cancellation = default)
    {
        var signed = idOrUrl.Contains('/', StringComparison.Ordinal);
        var target = signed ? idOrUrl : $"/v1/media/{Uri.EscapeDataString(idOrUrl)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, UriKind.RelativeOrAbsolute));
        if (offset is not null || length is not null)
        {
            var from = offset ?? 0;
            request.Headers.Range = new RangeHeaderValue(from, length is { } n ? from + n - 1 : null);
        }

        if (!signed)
        {
            Authorize(request);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        try
        {
            await EnsureSuccessAsync(response, cancellation);
            return new MediaDownload(response, await response.Content.ReadAsStreamAsync(cancellation));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Downloads into <paramref name="destination"/>; returns the bytes written.</summary>
    public async Task<long> DownloadToAsync(string idOrUrl, Stream destination, CancellationToken cancellation = default)
    {
        await using var download = await DownloadAsync(idOrUrl, cancellation: cancellation);
        var before = destination.CanSeek ? destination.Position : 0;
        await download.Content.CopyToAsync(destination, 256 * 1024, cancellation);
        return destination.CanSeek ? destination.Position - before : download.Length ?? -1;
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? code = null;
        var title = response.ReasonPhrase ?? "";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
            code = problem.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() ?? title : title;
        }
        catch (JsonException)
        {
        }

        throw new MediaException((int)response.StatusCode, code, $"{(int)response.StatusCode} {code}: {title}");
    }
}
