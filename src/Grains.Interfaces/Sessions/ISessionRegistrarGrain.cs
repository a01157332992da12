namespace AppMsg.Sessions;

/// <summary>
/// Opens the sessions of registering devices for edges: one call per REGISTER, or per batch of REGISTERs, checks
/// each login token, attaches the session under the tenant's login policy and reads where its replay starts
/// (reading list and read cursors), so an edge makes one round trip to the cluster per REGISTER. A stateless worker
/// (key 0), placed on the silo the edge's gateway is.
/// </summary>
public interface ISessionRegistrarGrain : IGrainWithIntegerKey
{
    /// <summary>Opens the sessions; the answers are in the tickets' order, one each.</summary>
    Task<IReadOnlyList<RegisterAnswer>> RegisterAsync(IReadOnlyList<RegisterTicket> tickets);
}
