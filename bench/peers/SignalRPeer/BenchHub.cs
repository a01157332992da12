using Microsoft.AspNetCore.SignalR;

namespace AppMsg.Bench.SignalRPeer;

/// <summary>
/// The whole peer: a connection joins groups (its own user group and the groups it belongs to), and a
/// publisher sends a payload to a group. Nothing is stored: a message to a group with nobody online is gone.
/// </summary>
public sealed class BenchHub : Hub
{
    /// <summary>Adds the calling connection to a group.</summary>
    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    /// <summary>Sends <paramref name="payload"/> to every connection of <paramref name="group"/> as the client method "m".</summary>
    public Task Publish(string group, string payload) => Clients.Group(group).SendAsync("m", payload);
}
