-- When each read cursor last moved, and from where: the messages of the timeline with a seq in
-- (acked_from, seq] were acknowledged by that terminal at acked_at (within the edges' acknowledgement
-- batching, about a second). Null for cursors stored before this migration.

ALTER TABLE msg_cursors ADD COLUMN IF NOT EXISTS acked_at timestamptz;
ALTER TABLE msg_cursors ADD COLUMN IF NOT EXISTS acked_from bigint;
