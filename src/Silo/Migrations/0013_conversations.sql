-- Conversations (issue 15): a per-user index of 1:1 conversations, the head of every qun, and read marks.
--  - 1:1: owner = the user id, address = the peer (`7@user`); last_* describe the newest message of the pair
--    in the owner's inbox (the peer's message, or the owner's sender copy); read_seq is in the owner's inbox.
--    The index holds no content: the list reads the newest message's envelope from msg_messages by (timeline, last_seq),
--    so a recalled message shows as its tombstone and an expired one not at all.
--  - qun heads: owner = '' (shared by all members), address = the qun; last_* its newest message.
--  - qun read marks: owner = the user id, address = the qun; only read_seq (last_* null).
-- Written in batches by ConversationIndex (one upsert per round trip); read marks move forward only.

CREATE TABLE IF NOT EXISTS msg_conversations (
    owner        text        NOT NULL,
    address      text        NOT NULL,
    last_seq     bigint,
    message_id   text,
    sender       text,
    last_at      timestamptz,
    read_seq     bigint      NOT NULL DEFAULT 0,
    peer_read_at timestamptz,             -- 1:1: the peer has read the owner's messages up to this time
    PRIMARY KEY (owner, address)
);

-- The conversation list, newest activity first.
CREATE INDEX IF NOT EXISTS ix_msg_conversations_activity ON msg_conversations (owner, last_at DESC, address DESC);
-- How many members of a qun read up to a seq.
CREATE INDEX IF NOT EXISTS ix_msg_conversations_reads ON msg_conversations (address, read_seq) WHERE owner <> '';

-- A recalled message keeps its (timeline, seq) and id; its envelope is replaced by a tombstone.
ALTER TABLE msg_messages ADD COLUMN IF NOT EXISTS recalled_at timestamptz;
