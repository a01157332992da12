using System.Net;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>One silo and two edges of one cluster: quotas must hold across both.</summary>
public sealed class QuotaTestSystem : RunningSystem
{
    public ApiClient SecondApi { get; private set; } = null!;

    public EdgeSettings SecondEdgeSettings { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SecondEdgeSettings = Deployment.EdgeSettings("edge-2");
        await StartAnotherEdgeAsync(SecondEdgeSettings);
        SecondApi = new ApiClient(new Uri($"http://127.0.0.1:{SecondEdgeSettings.HttpPort}"));
        using var http = new HttpClient();
        await Eventually.ReturnsAsync(
            () => http.GetAsync(new Uri($"http://127.0.0.1:{SecondEdgeSettings.HttpPort}/readyz")),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "second edge ready");
    }

    public override async Task DisposeAsync()
    {
        SecondApi?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new app of the tenant; its credential (<c>appId:secret</c>).</summary>
    public async Task<(string AppId, string Credential)> NewAppAsync(string tenantId)
    {
        var created = (await Api.PostAsync("/v1/apps", new { tenantId, name = "quota app" }, AdminKey)).Expect(HttpStatusCode.Created);
        return (created["id"], $"{created["id"]}:{created["secret"]}");
    }

    /// <summary>Another user of the tenant.</summary>
    public async Task<string> NewUserInAsync(string tenantId) =>
        (await Api.PostAsync("/v1/users", new { tenantId, username = "q" + Guid.NewGuid().ToString("N")[..10], password = "correct horse" }, AdminKey))
            .Expect(HttpStatusCode.Created)["id"];
}
