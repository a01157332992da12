using AppMsg.Hosting;

namespace AppMsg.Testing;

/// <summary>
/// One private PostgreSQL server shared by the tests of a collection. They run one after another, each with
/// its own database, up to three silos and three edges at once; the idle connections of a stopped host
/// stay open for up to five minutes (Npgsql's Connection Idle Lifetime), so the server leaves room for a
/// few finished tests besides the running one.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? server;

    public PostgresServer Server => server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => server = await PostgresServer.StartAsync(maxConnections: 2 * ConnectionBudget.ServerMaxConnections(silos: 3, edges: 3));

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
