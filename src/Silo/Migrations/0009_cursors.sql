-- Read cursors: per user, terminal type and timeline, the last seq whose every predecessor the terminal
-- acknowledged. Written lazily and in batches (one statement for many users), read when a user's cursor
-- grain activates. A cursor only moves forward.

CREATE TABLE msg_cursors (
    user_id       text     NOT NULL,
    terminal_type smallint NOT NULL,
    timeline      text     NOT NULL,
    seq           bigint   NOT NULL,
    PRIMARY KEY (user_id, terminal_type, timeline)
);
