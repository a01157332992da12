-- Read cursors per device: a terminal that names its device at REGISTER keeps its own position, so two
-- phones of one user each get every message. device_id '' is the position shared by the terminals of a
-- type that name no device (older clients), and the starting point of a device on a timeline it has no
-- position in yet.

ALTER TABLE msg_cursors ADD COLUMN IF NOT EXISTS device_id text NOT NULL DEFAULT '';

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
         WHERE c.relname = 'msg_cursors' AND i.indisprimary AND array_length(i.indkey, 1) = 4) THEN
        ALTER TABLE msg_cursors DROP CONSTRAINT msg_cursors_pkey;
        ALTER TABLE msg_cursors ADD PRIMARY KEY (user_id, terminal_type, device_id, timeline);
    END IF;
END
$$;
