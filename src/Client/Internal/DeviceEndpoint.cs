namespace AppMsg.Client.Internal;

/// <summary>Reads <see cref="DeviceClientOptions.Endpoint"/> for each kind of transport.</summary>
internal static class DeviceEndpoint
{
    /// <summary>Reads <c>host:port</c>, <c>tcp://host:port</c>, <c>[v6]:port</c>, or <c>tls://host:port</c> for TLS.</summary>
    /// <exception cref="ArgumentException">Not a host and a port.</exception>
    public static (string Host, int Port, bool Tls) ParseTcp(string endpoint)
    {
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "tcp://" + endpoint;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("tcp" or "tls")
            || uri.Port <= 0
            || uri.AbsolutePath is not ("/" or ""))
        {
            throw new ArgumentException($"'{endpoint}' is not host:port (or tls://host:port).", nameof(endpoint));
        }

        return (uri.DnsSafeHost, uri.Port, uri.Scheme == "tls");
    }

    /// <summary>Reads a <c>ws://</c> or <c>wss://</c> URL.</summary>
    /// <exception cref="ArgumentException">Not a WebSocket URL.</exception>
    public static Uri ParseWebSocket(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"'{endpoint}' is not a ws:// or wss:// URL.", nameof(endpoint));
        }

        return uri;
    }
}
