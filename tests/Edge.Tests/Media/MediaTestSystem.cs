using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AppMsg.Testing;
using Npgsql;

namespace AppMsg.Edge.Tests.Media;

/// <summary>
/// A running system for the media tests: a 60 MB upload limit, a fixed signing key, and raw HTTP to the edge; media
/// bytes in PostgreSQL (the default store). <see cref="FileMediaTestSystem"/> runs the same tests on the file store.
/// </summary>
public class MediaTestSystem : RunningSystem
{
    public const long MaxBytes = 60_000_000;

    public static readonly byte[] UrlKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public HttpClient Http { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{EdgeSettings.HttpPort}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public override async Task DisposeAsync()
    {
        Http?.Dispose();
        await base.DisposeAsync();
    }

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings) => settings with
    {
        Media = settings.Media with { MaxBytes = MaxBytes, UrlKey = UrlKey },
    };

    /// <summary>Copies of content a tenant's store holds: blobs with chunk rows here, files in the file store.</summary>
    public virtual Task<long> StoredCopiesAsync(string tenantId) =>
        CountAsync("SELECT count(DISTINCT c.blob_id) FROM media_chunks c JOIN media_blobs b USING (blob_id) WHERE b.tenant_id = $1", tenantId);

    /// <summary>Runs what deletes stored bytes no blob records any more on the edge (nothing to do here: chunks go with their blob).</summary>
    public virtual Task SweepEdgeAsync() => Task.CompletedTask;

    /// <summary>POST /v1/media with <paramref name="content"/>; the response is not read.</summary>
    public async Task<HttpResponseMessage> UploadAsync(HttpContent content, string contentType, string credential, string? query = null)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/media" + query) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        // As a large upload should: a refusal (too large, unauthorised) comes before the body is sent.
        request.Headers.ExpectContinue = true;
        return await Http.SendAsync(request);
    }

    /// <summary>An upload expected to succeed: its JSON answer.</summary>
    public async Task<JsonElement> UploadedAsync(byte[] bytes, string contentType, string credential)
    {
        using var response = await UploadAsync(new ByteArrayContent(bytes), contentType, credential);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>GET of a media path (id or signed URL path) with an optional credential and Range.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string path, string? credential, RangeHeaderValue? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.StartsWith('/') || path.StartsWith("http", StringComparison.Ordinal) ? path : $"/v1/media/{path}");
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        request.Headers.Range = range;
        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The problem code of a refused request.</summary>
    public static async Task<string?> CodeOfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("code").GetString();
    }

    /// <summary>One number from the database (rows of a table for a tenant, say).</summary>
    public async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(Deployment.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Media rows of every kind a tenant has: objects, blobs (finished or not) and their chunks; in the file store its files too.</summary>
    public virtual Task<long> MediaRowsAsync(string tenantId) => CountAsync("""
        SELECT (SELECT count(*) FROM media_objects WHERE tenant_id = $1)
             + (SELECT count(*) FROM media_blobs WHERE tenant_id = $1)
             + (SELECT count(*) FROM media_chunks c JOIN media_blobs b ON b.blob_id = c.blob_id WHERE b.tenant_id = $1)
        """, tenantId);

    /// <summary>An app of the tenant and its <c>appId:secret</c> credential.</summary>
    public async Task<string> NewAppCredentialAsync(string tenantId)
    {
        var app = (await Api.PostAsync("/v1/apps", new { tenantId, name = "media app" }, AdminKey)).Expect(HttpStatusCode.Created);
        return $"{app["id"]}:{app["secret"]}";
    }
}
