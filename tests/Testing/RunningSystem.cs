using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AppMsg.Testing;

/// <summary>
/// A running system for API tests: private PostgreSQL, one silo and one edge, shared by the tests of
/// a class (xunit class fixture). <see cref="RestartAsync"/> stops and starts both on the same ports.
/// </summary>
public class RunningSystem : IAsyncLifetime
{
    private PostgresServer? postgres;
    private AppMsgDeployment? deployment;
    private Silo.SiloSettings? siloSettings;
    private Edge.EdgeSettings? edgeSettings;
    private IHost? silo;
    private WebApplication? edge;

    public AppMsgDeployment Deployment => deployment!;

    /// <summary>The private PostgreSQL server (tests stop and start it to simulate an outage).</summary>
    public PostgresServer Postgres => postgres!;

    public ApiClient Api { get; private set; } = null!;

    public string AdminKey => Deployment.AdminKey;

    public Edge.EdgeSettings EdgeSettings => edgeSettings!;

    public Silo.SiloSettings SiloSettings => siloSettings!;

    public int TcpPort => EdgeSettings.TcpPort;

    /// <summary>The edge's Orleans client: the grain interfaces as a backend sees them.</summary>
    public IClusterClient Cluster => edge!.Services.GetRequiredService<IClusterClient>();

    public virtual async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync(MaxConnections);
        deployment = await AppMsgDeployment.CreateAsync(postgres);
        siloSettings = ConfigureSilo(deployment.SiloSettings("silo-1"));
        edgeSettings = ConfigureEdge(deployment.EdgeSettings("edge-1"));
        await StartAsync();
        Api = new ApiClient(new Uri($"http://127.0.0.1:{edgeSettings.HttpPort}"));
    }

    /// <summary>A new tenant (with <paramref name="settings"/>) and a user in it.</summary>
    public async Task<(string TenantId, string UserId)> NewUserAsync(object? settings = null)
    {
        var tenantId = (await Api.PostAsync("/v1/tenants", new { name = "devices", settings }, AdminKey)).Expect(HttpStatusCode.Created)["id"];
        return (tenantId, await NewUserInTenantAsync(tenantId));
    }

    /// <summary>Another user in <paramref name="tenantId"/>.</summary>
    public async Task<string> NewUserInTenantAsync(string tenantId)
    {
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        return (await Api.PostAsync("/v1/users", new { tenantId, username, password = "correct horse" }, AdminKey)).Expect(HttpStatusCode.Created)["id"];
    }

    /// <summary>A login token of the user.</summary>
    public async Task<string> LoginAsync(string tenantId, string userId, int terminalType = 1)
    {
        var user = (await Api.GetAsync($"/v1/users/{userId}", AdminKey)).Expect(HttpStatusCode.OK);
        return (await Api.PostAsync("/v1/auth/login", new { tenantId, username = user["username"], password = "correct horse", terminalType }))
            .Expect(HttpStatusCode.OK)["token"];
    }

    /// <summary>A service of the running silo.</summary>
    public T SiloServices<T>() where T : notnull => silo!.Services.GetRequiredService<T>();

    /// <summary>A service of the running edge.</summary>
    public T EdgeServices<T>() where T : notnull => edge!.Services.GetRequiredService<T>();

    /// <summary>Adjusts the silo's settings before it starts (a short grain collection age, say).</summary>
    protected virtual Silo.SiloSettings ConfigureSilo(Silo.SiloSettings settings) => settings;

    /// <summary>
    /// The private server's <c>max_connections</c>: PostgreSQL's default (100) unless a test class needs more.
    /// One silo and a few edges with the default connection budget fit under it, and every API test shows it.
    /// </summary>
    protected virtual int? MaxConnections => null;

    /// <summary>Adjusts the edge's settings before it starts (limits for a test class).</summary>
    protected virtual Edge.EdgeSettings ConfigureEdge(Edge.EdgeSettings settings) => settings;

    /// <summary>Starts a second edge of the same cluster.</summary>
    /// <summary>
    /// Waits until the user has a connection on the edge (the first one unless <paramref name="edge"/> is given) and
    /// every one of them has finished its REGISTER replay: from then on, messages reach them live.
    /// </summary>
    public Task WaitUntilLiveAsync(string userId, IServiceProvider? edge = null)
    {
        var connections = (edge ?? this.edge!.Services).GetRequiredService<Edge.Devices.DeviceConnections>();
        return Eventually.ReturnsAsync(
            () => Task.FromResult(connections.OfUser(userId)),
            live => live.Count > 0 && live.All(c => c.IsRegistered && !c.IsReplaying),
            TimeSpan.FromSeconds(20),
            $"user {userId}'s REGISTER replay");
    }

    public Task<WebApplication> StartAnotherEdgeAsync(Edge.EdgeSettings settings) => deployment!.StartEdgeAsync(settings);

    /// <summary>Stops the edge and the silo, then starts both again on the same ports and database.</summary>
    public async Task RestartAsync()
    {
        await deployment!.StopAsync(edge!);
        await deployment.StopAsync(silo!);
        await StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        Api?.Dispose();
        if (deployment is not null)
        {
            await deployment.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }

    private async Task StartAsync()
    {
        silo = await deployment!.StartSiloAsync(siloSettings!);
        edge = await deployment.StartEdgeAsync(edgeSettings!);
        using var http = new HttpClient();
        await Eventually.ReturnsAsync(
            () => http.GetAsync(new Uri($"http://127.0.0.1:{edgeSettings!.HttpPort}/readyz")),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "edge ready");
    }
}
