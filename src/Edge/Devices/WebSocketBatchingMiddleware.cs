using Microsoft.AspNetCore.Http.Features;

namespace AppMsg.Edge.Devices;

/// <summary>
/// Puts a <see cref="WebSocketBatchStream"/> under every WebSocket the edge accepts (HTTP/1.1 upgrade and HTTP/2
/// extended CONNECT alike), so that the device endpoint can write a batch of frames as one write. Runs before
/// ASP.NET Core's WebSocket middleware, which takes the upgrade features as it finds them; the stream is then found
/// as a feature of the request (<c>context.Features.Get&lt;WebSocketBatchStream&gt;()</c>).
/// </summary>
public sealed class WebSocketBatchingMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var features = context.Features;
        if (features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            features.Set<IHttpUpgradeFeature>(new Upgrade(upgrade, features));
        }
        else if (features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(connect, features));
        }

        return next(context);
    }

    private static WebSocketBatchStream Wrap(Stream connection, IFeatureCollection features)
    {
        var stream = new WebSocketBatchStream(connection);
        features.Set(stream);
        return stream;
    }

    private sealed class Upgrade(IHttpUpgradeFeature inner, IFeatureCollection features) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => Wrap(await inner.UpgradeAsync(), features);
    }

    private sealed class ExtendedConnect(IHttpExtendedConnectFeature inner, IFeatureCollection features) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => Wrap(await inner.AcceptAsync(), features);
    }
}
