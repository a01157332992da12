using AppMsg.Edge.Media;

namespace AppMsg.Edge.Tests.Media;

/// <summary>The media test system with the file store: media bytes under a directory of its own (<c>APPMSG_MEDIA_DIR</c>).</summary>
public sealed class FileMediaTestSystem : MediaTestSystem
{
    public string MediaDirectory { get; } = Path.Combine(Path.GetTempPath(), $"appmsg-media-test-{Guid.NewGuid():N}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (System.IO.Directory.Exists(MediaDirectory))
        {
            System.IO.Directory.Delete(MediaDirectory, recursive: true);
        }
    }

    /// <summary>Files of a tenant in the store.</summary>
    public override Task<long> StoredCopiesAsync(string tenantId)
    {
        var folder = Path.Combine(MediaDirectory, tenantId);
        return Task.FromResult(System.IO.Directory.Exists(folder) ? (long)System.IO.Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0);
    }

    /// <summary>Rows as in PostgreSQL (no chunks here), plus the tenant's files and any upload's temporary file.</summary>
    public override async Task<long> MediaRowsAsync(string tenantId) =>
        await base.MediaRowsAsync(tenantId) + await StoredCopiesAsync(tenantId) + System.IO.Directory.GetFiles(EdgeServices<FileMediaStore>().TemporaryDirectory).Length;

    public override Task SweepEdgeAsync() => EdgeServices<FileMediaSweeper>().SweepOnceAsync();

    protected override EdgeSettings ConfigureEdge(EdgeSettings settings)
    {
        var configured = base.ConfigureEdge(settings);
        return configured with { Media = configured.Media with { Directory = MediaDirectory } };
    }
}
