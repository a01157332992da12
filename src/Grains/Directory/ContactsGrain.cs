using AppMsg.Common;
using AppMsg.Directory;
using Microsoft.Extensions.Options;

namespace AppMsg.Grains.Directory;

public sealed class ContactsGrain(
    [PersistentState("contacts", StorageNames.Default)] IPersistentState<ContactsState> state,
    ContactIndex index,
    IOptions<PeopleDirectoryOptions> options) : Grain, IContactsGrain
{
    private Dictionary<string, ContactRecord> Contacts => state.State.Contacts;

    private string Id => this.GetPrimaryKeyString();

    public async Task<ContactSaved> SaveAsync(string contactId, ContactUpdate update)
    {
        var remark = update.Remark is null ? null : ContactValidation.Remark(update.Remark);
        if (contactId == Id)
        {
            throw AppMsgException.Invalid("contactId", "a user cannot be its own contact");
        }

        var tenantId = await OwnerTenantAsync();
        var contact = Ids.IsValid(contactId) ? await GrainFactory.GetGrain<IUserGrain>(contactId).GetAsync() : null;
        if (contact is null || contact.TenantId != tenantId)
        {
            throw AppMsgException.NotFound("contact");
        }

        var created = !Contacts.TryGetValue(contactId, out var existing);
        if (created && Contacts.Count >= options.Value.MaxContactsPerUser)
        {
            throw new AppMsgException(ErrorCodes.OverQuota, $"a user may have at most {options.Value.MaxContactsPerUser} contacts");
        }

        var now = Timestamps.Now();
        var record = existing is null
            ? new ContactRecord(remark ?? "", update.Starred ?? false, now, now)
            : existing with { Remark = remark ?? existing.Remark, Starred = update.Starred ?? existing.Starred, UpdatedAt = now };
        Contacts[contactId] = record;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Restore(contactId, existing);
            throw;
        }

        // After the state: a failure here leaves the row behind, and the caller's retry (an idempotent save) repairs it.
        await index.UpsertAsync(Id, contactId, record);
        return new ContactSaved(ToInfo(contactId, record, contact), created);
    }

    public async Task<ContactInfo?> GetAsync(string contactId)
    {
        if (contactId is null || !Contacts.TryGetValue(contactId, out var record))
        {
            return null;
        }

        return ToInfo(contactId, record, await GrainFactory.GetGrain<IUserGrain>(contactId).GetAsync());
    }

    public async Task<bool> RemoveAsync(string contactId)
    {
        if (contactId is null)
        {
            return false;
        }

        var existed = Contacts.Remove(contactId, out var existing);
        if (existed)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                Restore(contactId, existing);
                throw;
            }
        }

        // Also when it was not a contact: a row left by an earlier failed removal goes now.
        await index.DeleteAsync(Id, contactId);
        return existed;
    }

    public Task<Page<ContactInfo>> ListAsync(string? after, int limit) =>
        index.ListAsync(Id, Cursor.Decode(after), DirectoryQueryGrain.PageSize(limit));

    private async Task<string> OwnerTenantAsync()
    {
        if (state.State.TenantId is null)
        {
            var owner = await GrainFactory.GetGrain<IUserGrain>(Id).GetAsync() ?? throw AppMsgException.NotFound("user");
            state.State.TenantId = owner.TenantId;
        }

        return state.State.TenantId;
    }

    private void Restore(string contactId, ContactRecord? previous)
    {
        if (previous is null)
        {
            Contacts.Remove(contactId);
        }
        else
        {
            Contacts[contactId] = previous;
        }
    }

    private static ContactInfo ToInfo(string contactId, ContactRecord record, UserInfo? contact) =>
        new(contactId, contact?.Username ?? "", contact?.DisplayName ?? "", record.Remark, record.Starred, record.CreatedAt, record.UpdatedAt);
}
