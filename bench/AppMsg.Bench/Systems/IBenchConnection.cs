namespace AppMsg.Bench.Systems;

/// <summary>One connected device.</summary>
public interface IBenchConnection : IAsyncDisposable
{
    /// <summary>How often the connection was lost while the benchmark ran.</summary>
    int Disconnects { get; }

    /// <summary>A 1:1 message to <paramref name="to"/>; true when the system accepted it (AppMsg: IMRESP 0, stored).</summary>
    Task<bool> SendAsync(BenchUser to, string payload, CancellationToken cancellationToken);

    /// <summary>Asks the system for what this device missed (AppMsg: SYNC after its cursors); false when the system has no such request.</summary>
    Task<bool> RecoverAsync(CancellationToken cancellationToken);
}
