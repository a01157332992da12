using System.Text;

namespace AppMsg.Bench.Systems;

/// <summary>
/// A backend publishing through <c>POST /v1/messages</c> with the client's credential (the operator's, or an app's for
/// http-app and http-quota); answered after the message is stored.
/// </summary>
public sealed class AppMsgHttpPublisher(HttpClient http, bool disposeClient = false) : IBenchPublisher
{
    private const int MaxTargets = 1_000;

    public Task PublishAsync(string group, string payload, CancellationToken cancellationToken) =>
        SendAsync($"{{\"to\":[\"{group}@qun\"],\"type\":\"custom\",\"content\":{payload}}}", cancellationToken);

    public async Task PublishToUsersAsync(IReadOnlyList<BenchUser> users, string payload, CancellationToken cancellationToken)
    {
        for (var start = 0; start < users.Count; start += MaxTargets)
        {
            var to = string.Join(',', users.Skip(start).Take(MaxTargets).Select(u => $"\"{u.Id}@user\""));
            await SendAsync($"{{\"to\":[{to}],\"type\":\"custom\",\"content\":{payload}}}", cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (disposeClient)
        {
            http.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task SendAsync(string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /v1/messages: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
