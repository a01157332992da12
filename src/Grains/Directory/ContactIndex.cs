using AppMsg.Common;
using AppMsg.Directory;
using Npgsql;

namespace AppMsg.Grains.Directory;

/// <summary>
/// The SQL rows behind contact lists (table <c>dir_contacts</c>), written only by the owner's
/// <see cref="ContactsGrain"/>. Names come from <c>dir_users</c>, which the contact's own grain keeps current.
/// </summary>
public sealed class ContactIndex(NpgsqlDataSource database)
{
    public async Task UpsertAsync(string ownerId, string contactId, ContactRecord contact)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO dir_contacts (owner_id, contact_id, remark, starred, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (owner_id, contact_id)
            DO UPDATE SET remark = excluded.remark, starred = excluded.starred, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue(ownerId);
        command.Parameters.AddWithValue(contactId);
        command.Parameters.AddWithValue(contact.Remark);
        command.Parameters.AddWithValue(contact.Starred);
        command.Parameters.AddWithValue(contact.CreatedAt);
        command.Parameters.AddWithValue(contact.UpdatedAt);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DeleteAsync(string ownerId, string contactId)
    {
        await database.ExecuteAsync("DELETE FROM dir_contacts WHERE owner_id = $1 AND contact_id = $2", ownerId, contactId);
    }

    /// <summary>A page of the owner's contacts by contact id; <paramref name="after"/> is a decoded cursor.</summary>
    public async Task<Page<ContactInfo>> ListAsync(string ownerId, string? after, int limit)
    {
        await using var command = database.CreateCommand("""
            SELECT c.contact_id, coalesce(u.username, ''), coalesce(u.display_name, ''),
                   c.remark, c.starred, c.created_at, c.updated_at
              FROM dir_contacts c
              LEFT JOIN dir_users u ON u.user_id = c.contact_id
             WHERE c.owner_id = $1 AND c.contact_id > $2
             ORDER BY c.contact_id
             LIMIT $3
            """);
        command.Parameters.AddWithValue(ownerId);
        command.Parameters.AddWithValue(after ?? "");
        command.Parameters.AddWithValue(limit + 1);
        return await KeysetPages.ReadAsync(
            command,
            limit,
            r => new ContactInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6)),
            c => Cursor.Encode(c.ContactId));
    }
}
