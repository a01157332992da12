-- Media (docs/media.md). A blob's bytes are stored once per tenant and content (sha256), as chunks of at most
-- 256 KiB, so that neither an upload nor a download ever holds a whole file in memory or in one row. An upload
-- writes its chunks under a blob whose sha256 is still NULL (pending); once the last chunk is in, the blob
-- either becomes the tenant's copy of that content or, when the tenant has it already, is deleted in favour of
-- the existing one. A media object is one upload: its own id, uploader and content type, pointing at a blob.
-- Messages name the media they reference in msg_messages.media_id, stored in the same statement as the message,
-- so "a living message references it" is one indexed lookup.

CREATE TABLE IF NOT EXISTS media_blobs (
    blob_id     text        PRIMARY KEY,
    tenant_id   text        NOT NULL,
    sha256      bytea,                   -- NULL while the upload is under way
    size        bigint      NOT NULL DEFAULT 0,
    chunk_size  integer     NOT NULL,       -- every chunk but the last holds exactly this many bytes
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_media_blobs_content ON media_blobs (tenant_id, sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_media_blobs_pending ON media_blobs (created_at) WHERE sha256 IS NULL;

CREATE TABLE IF NOT EXISTS media_chunks (
    blob_id  text    NOT NULL REFERENCES media_blobs (blob_id) ON DELETE CASCADE,
    n        integer NOT NULL,           -- 0, 1, 2, ... in order
    data     bytea   NOT NULL,
    PRIMARY KEY (blob_id, n)
);

-- The chunks are already compressed media more often than not: keep them out of TOAST compression.
ALTER TABLE media_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE IF NOT EXISTS media_objects (
    media_id      text        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    blob_id       text        NOT NULL REFERENCES media_blobs (blob_id),
    uploader      text        NOT NULL,   -- id@kind of the uploader, or operator@app
    content_type  text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    touched_at    timestamptz NOT NULL DEFAULT now()   -- last upload or message reference: the unreferenced grace runs from here
);

CREATE INDEX IF NOT EXISTS ix_media_objects_blob ON media_objects (blob_id);
CREATE INDEX IF NOT EXISTS ix_media_objects_touched ON media_objects (touched_at);

ALTER TABLE msg_messages ADD COLUMN IF NOT EXISTS media_id text;
CREATE INDEX IF NOT EXISTS ix_msg_messages_media ON msg_messages (media_id) WHERE media_id IS NOT NULL;
