using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace AppMsg.Testing;

/// <summary>A small JSON client for the edge's HTTP API, as a backend or device would use it.</summary>
public sealed class ApiClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public sealed record Response(HttpStatusCode Status, JsonElement Body, string Text, string? ContentType)
    {
        /// <summary>The <c>Retry-After</c> header in seconds, or null.</summary>
        public int? RetryAfterSeconds { get; init; }

        /// <summary>The problem detail's stable code, or null.</summary>
        public string? Code => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var code) ? code.GetString() : null;

        public string this[string property] => Body.GetProperty(property).ValueKind == JsonValueKind.String
            ? Body.GetProperty(property).GetString()!
            : Body.GetProperty(property).GetRawText();

        public Response Expect(HttpStatusCode status) =>
            Status == status ? this : throw new Xunit.Sdk.XunitException($"expected {(int)status} {status}, got {(int)Status} {Status}: {Text}");
    }

    public Task<Response> GetAsync(string path, string? credential = null) => SendAsync(HttpMethod.Get, path, null, credential);

    public Task<Response> PostAsync(string path, object? body, string? credential = null) => SendAsync(HttpMethod.Post, path, body, credential);

    public Task<Response> PutAsync(string path, object? body, string? credential = null) => SendAsync(HttpMethod.Put, path, body, credential);

    public Task<Response> PatchAsync(string path, object? body, string? credential = null) => SendAsync(HttpMethod.Patch, path, body, credential);

    public Task<Response> DeleteAsync(string path, string? credential = null) => SendAsync(HttpMethod.Delete, path, null, credential);

    /// <summary>Sends raw text as the body (for malformed-input tests).</summary>
    public async Task<Response> SendRawAsync(HttpMethod method, string path, string body, string? credential, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
        Authorize(request, credential);
        return await ReadAsync(await http.SendAsync(request));
    }

    public async Task<Response> SendAsync(HttpMethod method, string path, object? body, string? credential)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        Authorize(request, credential);
        return await ReadAsync(await http.SendAsync(request));
    }

    public void Dispose() => http.Dispose();

    private static void Authorize(HttpRequestMessage request, string? credential)
    {
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
    }

    private static async Task<Response> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonDocument.Parse(text).RootElement.Clone() : default;
            return new Response(response.StatusCode, body, text, response.Content.Headers.ContentType?.MediaType)
            {
                RetryAfterSeconds = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null,
            };
        }
    }
}
