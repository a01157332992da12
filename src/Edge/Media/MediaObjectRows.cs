using Npgsql;

namespace AppMsg.Edge.Media;

/// <summary>The <c>media_objects</c> row of an upload, written by every store inside its own transaction.</summary>
internal static class MediaObjectRows
{
    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string mediaId, string tenantId, string blobId, string uploader, string contentType,
        CancellationToken cancellation)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO media_objects (media_id, tenant_id, blob_id, uploader, content_type) VALUES ($1, $2, $3, $4, $5)", connection, transaction);
        insert.Parameters.AddWithValue(mediaId);
        insert.Parameters.AddWithValue(tenantId);
        insert.Parameters.AddWithValue(blobId);
        insert.Parameters.AddWithValue(uploader);
        insert.Parameters.AddWithValue(contentType);
        await insert.ExecuteNonQueryAsync(cancellation);
    }
}
