using Npgsql;

namespace AppMsg.Edge.Media;

/// <summary>The <c>media_objects</c> row of an upload, written by every store inside its own transaction.</summary>
internal static class MediaObjectRows
{
    private const string Insert = "INSERT INTO media_objects (media_id, tenant_id, blob_id, uploader, content_type)";

    /// <summary>
    /// The object row pointing at the tenant's blob of <paramref name="sha256"/> (which the same transaction has made
    /// sure exists); returns that blob's id and chunk size.
    /// </summary>
    public static NpgsqlBatchCommand InsertForContent(string mediaId, string tenantId, byte[] sha256, string uploader, string contentType)
    {
        var insert = new NpgsqlBatchCommand(
            $"{Insert} SELECT $1, $2, b.blob_id, $3, $4 FROM media_blobs b WHERE b.tenant_id = $2 AND b.sha256 = $5 " +
            "RETURNING blob_id, (SELECT chunk_size FROM media_blobs c WHERE c.blob_id = media_objects.blob_id)");
        insert.Parameters.AddWithValue(mediaId);
        insert.Parameters.AddWithValue(tenantId);
        insert.Parameters.AddWithValue(uploader);
        insert.Parameters.AddWithValue(contentType);
        insert.Parameters.AddWithValue(sha256);
        return insert;
    }

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string mediaId, string tenantId, string blobId, string uploader, string contentType,
        CancellationToken cancellation)
    {
        await using var insert = new NpgsqlCommand($"{Insert} VALUES ($1, $2, $3, $4, $5)", connection, transaction);
        insert.Parameters.AddWithValue(mediaId);
        insert.Parameters.AddWithValue(tenantId);
        insert.Parameters.AddWithValue(blobId);
        insert.Parameters.AddWithValue(uploader);
        insert.Parameters.AddWithValue(contentType);
        await insert.ExecuteNonQueryAsync(cancellation);
    }
}
