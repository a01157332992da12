-- Idempotency of sends: a sender's clientMsgId names one message per target timeline for 24 hours.
-- The row is written in the same statement as the message, so a retry after a lost answer finds
-- the first result instead of storing the message twice. Rows older than 24 hours are pruned.

CREATE TABLE msg_client_ids (
    sender        text        NOT NULL,
    client_msg_id text        NOT NULL,
    timeline      text        NOT NULL,
    seq           bigint      NOT NULL,
    message_id    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (sender, client_msg_id, timeline)
);

CREATE INDEX ix_msg_client_ids_created ON msg_client_ids (created_at);
