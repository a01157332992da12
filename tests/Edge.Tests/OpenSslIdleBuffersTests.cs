using AppMsg.Edge.Tls;
using AppMsg.Testing;

namespace AppMsg.Edge.Tests;

/// <summary>
/// The edge asks OpenSSL to free each TLS connection's record buffers while idle by reaching into the runtime's
/// <c>SslStream</c>: this fails when a runtime update moves what it relies on, instead of idle memory quietly growing.
/// </summary>
public sealed class OpenSslIdleBuffersTests
{
    [Fact]
    public async Task The_mode_is_set_on_a_real_connection_and_it_still_carries_data_both_ways()
    {
        await using var link = await TlsLoopback.OpenAsync();

        Assert.True(OpenSslIdleBuffers.Available);
        Assert.True(OpenSslIdleBuffers.Release(link.Server));

        for (var round = 0; round < 3; round++)
        {
            var sent = Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7 + round)).ToArray();
            var received = new byte[sent.Length];
            await Task.WhenAll(link.Client.WriteAsync(sent).AsTask(), link.Server.ReadExactlyAsync(received).AsTask());
            Assert.Equal(sent, received);
            await Task.WhenAll(link.Server.WriteAsync(sent).AsTask(), link.Client.ReadExactlyAsync(received).AsTask());
            Assert.Equal(sent, received);
        }
    }
}
