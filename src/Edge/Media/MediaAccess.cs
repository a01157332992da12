using AppMsg.Common;
using AppMsg.Edge.Api;
using AppMsg.Edge.Cluster;

namespace AppMsg.Edge.Media;

/// <summary>
/// Who may fetch a media object with a credential (docs/media.md): the operator; an app of its tenant; its uploader;
/// a user who may read a timeline holding a living message that references it. Everyone else, and every caller of
/// another tenant, is told it does not exist.
/// </summary>
public static class MediaAccess
{
    /// <summary>The timelines looked at for the message rule: a media object shared more widely is fetched by signed URL.</summary>
    public const int TimelinesChecked = 20;

    /// <exception cref="AppMsgException"><c>not_found</c> when the caller may not read it.</exception>
    public static async Task EnsureCanReadAsync(Caller caller, StoredMedia media, IMediaStore store, IClusterClient cluster, AddressTenants tenants, CancellationToken cancellation)
    {
        caller.EnsureCanSee(media.TenantId, "media");
        if (caller.Kind != CallerKind.User || caller.Address?.ToString() == media.Uploader)
        {
            return;
        }

        foreach (var timeline in await store.ReferencingTimelinesAsync(media.MediaId, TimelinesChecked, cancellation))
        {
            if (!Address.TryParse(timeline, out var address))
            {
                continue;
            }

            try
            {
                await MessageEndpoints.EnsureCanReadAsync(address, caller, cluster, tenants);
                return;
            }
            catch (AppMsgException e) when (e.Code == ErrorCodes.NotFound)
            {
            }
        }

        throw AppMsgException.NotFound("media");
    }
}
