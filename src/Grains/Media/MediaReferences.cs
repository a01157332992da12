using AppMsg.Common;
using AppMsg.Directory;
using AppMsg.Sessions;
using Npgsql;

namespace AppMsg.Grains.Media;

/// <summary>
/// A message's media reference: the media must exist in the timeline's tenant (which is the sender's: sends do not
/// cross tenants). Claiming it restarts its unreferenced grace, so the sweep cannot remove it between this check and
/// the message's commit; from then on the stored message (msg_messages.media_id) keeps it.
/// </summary>
public sealed class MediaReferences(NpgsqlDataSource database, IGrainFactory grains)
{
    /// <exception cref="AppMsgException"><c>validation_failed</c> on <c>content.mediaId</c> when the tenant has no such media;
    /// <c>unavailable</c> when the database fails.</exception>
    public async Task ClaimAsync(string mediaId, string timeline)
    {
        var tenantId = Address.TryParse(timeline, out var address) ? await TenantOfAsync(address) : null;
        int claimed;
        try
        {
            claimed = tenantId is null || !Ids.IsValid(mediaId) ? 0
                : await database.ExecuteAsync("UPDATE media_objects SET touched_at = now() WHERE media_id = $1 AND tenant_id = $2", mediaId, tenantId);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new AppMsgException(ErrorCodes.Unavailable, "the media store does not answer; retry later");
        }

        if (claimed == 0)
        {
            throw AppMsgException.Invalid("content.mediaId", "content.mediaId must name media uploaded to this tenant");
        }
    }

    private ValueTask<string?> TenantOfAsync(Address address) => TenantOfAddress.ReadAsync(grains, address);
}
