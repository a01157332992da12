using System.Globalization;
using AppMsg.Directory;
using AppMsg.Edge.Cluster;
using AppMsg.Edge.Media;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace AppMsg.Edge.Api;

/// <summary><c>POST /v1/media</c> (upload, streamed) and <c>GET /v1/media/{mediaId}</c> (download, with <c>Range</c>); docs/media.md.</summary>
public static class MediaEndpoints
{
    private const string OperatorAddress = "operator@app";

    /// <summary>Types a browser may show inline; everything else is served as an attachment.</summary>
    private static readonly string[] InlineTypes = ["image/", "audio/", "video/"];

    public sealed record UploadResult(string Id, string Url, long Size, string ContentType, string Sha256);

    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder api)
    {
        api.MapPost("/v1/media", async (HttpContext context, Caller caller, string? tenantId, IMediaStore store, MediaSettings settings, MediaUrlSigner signer,
            MediaUploads uploads, IClusterClient cluster) =>
        {
            var tenant = TenantOfUpload(caller, tenantId);
            var contentType = ContentTypeOf(context.Request.ContentType);
            if (context.Request.ContentLength > settings.MaxBytes)
            {
                throw new AppMsgException(ErrorCodes.TooLarge, $"media must be at most {settings.MaxBytes} bytes");
            }

            // The edge's 1 MiB body limit is for JSON; this route counts its bytes itself while it streams them.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            using var slot = uploads.Enter();
            // The tenant's stored media quota: a declared length is reserved whole; the first bytes arrive meanwhile,
            // and nothing is recorded before the reservation (and the tenant the operator names) is confirmed.
            var quota = MediaQuota.OfTenant(cluster, tenant);
            quota.AdmitWhileStreaming(AdmitAsync(caller, tenant, context.Request.ContentLength, quota, cluster));
            StoredMedia stored;
            try
            {
                var body = context.Request.BodyReader;
                if (contentType.StartsWith("image/", StringComparison.Ordinal))
                {
                    await EnsureImageAsync(body, contentType, context.RequestAborted);
                }

                stored = await store.PutAsync(tenant, caller.Address?.ToString() ?? OperatorAddress, contentType, quota.Meter(body), settings.MaxBytes, context.RequestAborted);
            }
            catch
            {
                await quota.GiveBackAsync();
                throw;
            }

            await quota.SettleAsync(stored.StoredNewBytes ? stored.Size : 0);
            var url = $"{context.Request.Scheme}://{context.Request.Host}{signer.PathFor(stored.MediaId)}";
            return Results.Created($"/v1/media/{stored.MediaId}", new UploadResult(stored.MediaId, url, stored.Size, stored.ContentType, stored.Sha256));
        });

        api.MapGet("/v1/media/{mediaId}", async (HttpContext context, string mediaId, IMediaStore store, MediaUrlSigner signer, IClusterClient cluster, AddressTenants tenants, TenantInfoCache tenantInfos) =>
        {
            var query = context.Request.Query;
            var signed = query.ContainsKey("sig") || query.ContainsKey("exp");
            if (signed && !signer.IsValid(mediaId, query["exp"], query["sig"]))
            {
                throw new AppMsgException(ErrorCodes.Forbidden, "the signed URL is expired or not valid");
            }

            var caller = signed ? null : await Caller.BindAsync(context);
            var media = Ids.IsValid(mediaId) ? await store.FindAsync(mediaId, context.RequestAborted) : null;
            if (media is null)
            {
                throw AppMsgException.NotFound("media");
            }

            if (caller is not null)
            {
                await MediaAccess.EnsureCanReadAsync(caller, media, store, cluster, tenants, context.RequestAborted);
            }
            else
            {
                // A signed URL names no caller, so the authenticator's tenant check never ran: a disabled tenant's media is
                // not served to URL holders (the operator still reads it with the admin key).
                await tenantInfos.EnsureEnabledAsync(media.TenantId);
            }

            await ServeAsync(context, media, store);
        });
        return api;
    }

    /// <summary>The tenant the media is stored for: the caller's own, or the one the operator names.</summary>
    private static string TenantOfUpload(Caller caller, string? tenantId)
    {
        if (!caller.IsOperator)
        {
            // Apps and users store for their own tenant; naming another one finds nothing.
            return tenantId is null || tenantId == caller.TenantId ? caller.TenantId! : throw AppMsgException.NotFound("tenant");
        }

        // The operator belongs to no tenant: it names the one the media is stored for.
        return Validate.Id(Validate.Required(tenantId, "tenantId"), "tenant");
    }

    /// <summary>What an upload needs before it is recorded: the tenant the operator names exists, and a declared length fits the quota.</summary>
    private static async Task AdmitAsync(Caller caller, string tenant, long? declared, MediaQuota quota, IClusterClient cluster)
    {
        if (caller.IsOperator)
        {
            _ = await cluster.GetGrain<ITenantGrain>(tenant).GetAsync() ?? throw AppMsgException.NotFound("tenant");
        }

        if (declared is { } length)
        {
            await quota.ReserveAsync(length, length);
        }
    }

    private static string ContentTypeOf(string? header)
    {
        if (string.IsNullOrEmpty(header) || !MediaTypeHeaderValue.TryParse(header, out var parsed) || parsed.MediaType.Value is not { } type
            || type.Contains('*', StringComparison.Ordinal) || type.Length > 127 || header.Length > 255)
        {
            throw AppMsgException.Invalid("Content-Type", "Content-Type must name the media's type, such as image/png");
        }

        // The type as the uploader declared it, parameters (charset, codecs) included, lower-cased.
        return header.Trim().ToLowerInvariant();
    }

    /// <summary>A declared image must start like an image of that type; looks at the first bytes without consuming them.</summary>
    private static async Task EnsureImageAsync(System.IO.Pipelines.PipeReader body, string contentType, CancellationToken cancellation)
    {
        var read = await body.ReadAtLeastAsync(ImageSniffer.HeadLength, cancellation);
        var buffer = read.Buffer;
        var head = new byte[Math.Min(ImageSniffer.HeadLength, (int)Math.Min(buffer.Length, int.MaxValue))];
        System.Buffers.BuffersExtensions.CopyTo(buffer.Slice(0, head.Length), head);
        body.AdvanceTo(buffer.Start, buffer.End);
        var declared = Canonical(contentType.Split(';')[0].Trim());
        var found = ImageSniffer.Sniff(head);
        if (found is null || found != declared)
        {
            throw AppMsgException.Invalid("Content-Type", found is null
                ? $"the body is not an image of type {declared}"
                : $"the body is {found}, not {declared}");
        }
    }

    private static string Canonical(string imageType) => imageType switch
    {
        "image/jpg" or "image/pjpeg" => "image/jpeg",
        "image/x-png" => "image/png",
        "image/heif" => "image/heic",
        "image/x-ms-bmp" => "image/bmp",
        "image/vnd.microsoft.icon" => "image/x-icon",
        _ => imageType,
    };

    private static async Task ServeAsync(HttpContext context, StoredMedia media, IMediaStore store)
    {
        var response = context.Response;
        var etag = $"\"{media.Sha256}\"";
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.CacheControl = "private, max-age=3600";
        // Uploaded bytes never run as a page of the API's origin.
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        if (!InlineTypes.Any(t => media.ContentType.StartsWith(t, StringComparison.Ordinal)))
        {
            response.Headers.ContentDisposition = "attachment";
        }

        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && (v.Contains(etag, StringComparison.Ordinal) || v.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var ifRange = context.Request.Headers.IfRange.ToString();
        // An If-Range naming another version asks for the whole (new) object.
        var rangeHeader = ifRange.Length == 0 || ifRange == etag ? context.Request.Headers.Range.ToString() : null;
        var range = ByteRange.Parse(rangeHeader, media.Size, out var satisfiable);

        if (!satisfiable)
        {
            response.Headers.ContentRange = $"bytes */{media.Size.ToString(CultureInfo.InvariantCulture)}";
            throw new AppMsgException(ErrorCodes.RangeNotSatisfiable, $"the range lies past the end of the media ({media.Size} bytes)");
        }

        var (offset, length) = range is { } r ? (r.Offset, r.Length) : (0L, media.Size);
        if (range is not null)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + length - 1}/{media.Size}");
        }

        response.ContentType = media.ContentType;
        response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await store.CopyToAsync(media, offset, length, response.Body, context.RequestAborted);
    }
}
