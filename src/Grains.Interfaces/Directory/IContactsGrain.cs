using AppMsg.Common;

namespace AppMsg.Directory;

/// <summary>
/// A user's contacts (address book): other users of the same tenant, each with a remark and a star.
/// Keyed by the owner's user id. The grain owns the records; lists are served from SQL rows it keeps
/// in step. Backends on the Orleans client are trusted: access rules are the HTTP API's.
/// </summary>
public interface IContactsGrain : IGrainWithStringKey
{
    /// <summary>Adds the user <paramref name="contactId"/> as a contact, or updates remark and star of an existing one.</summary>
    /// <exception cref="AppMsgException"><c>not_found</c> when the owner does not exist, or the contact is not a user of the
    /// owner's tenant; <c>validation_failed</c> for a remark over 100 characters or the owner itself as contact;
    /// <c>over_quota</c> when the owner has the maximum number of contacts.</exception>
    Task<ContactSaved> SaveAsync(string contactId, ContactUpdate update);

    /// <summary>One contact, or null when <paramref name="contactId"/> is not a contact of this user.</summary>
    Task<ContactInfo?> GetAsync(string contactId);

    /// <summary>Removes a contact; false when it was not one.</summary>
    Task<bool> RemoveAsync(string contactId);

    /// <summary>The contacts, ordered by contact id (the order they were created in as users).</summary>
    /// <param name="after">The <see cref="Page{T}.Next"/> of the previous page, or null.</param>
    /// <param name="limit">1 to 500.</param>
    /// <exception cref="AppMsgException"><c>validation_failed</c> for a bad limit or cursor.</exception>
    Task<Page<ContactInfo>> ListAsync(string? after, int limit);
}
