-- Message timelines: every message is stored once, in exactly one timeline, numbered by the
-- timeline's owner grain. The primary key makes a second activation of an owner fail rather than
-- fork the log.

CREATE TABLE msg_messages (
    timeline    text        NOT NULL,
    seq         bigint      NOT NULL,
    message_id  text        NOT NULL,
    sender      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    terminal_types smallint NOT NULL DEFAULT 31,   -- which terminal types receive it (live and replay)
    envelope    bytea       NOT NULL,   -- the down envelope (UTF-8 JSON), encoded once at append
    PRIMARY KEY (timeline, seq)
);

CREATE INDEX ix_msg_messages_expiry ON msg_messages (expires_at) WHERE expires_at IS NOT NULL;
