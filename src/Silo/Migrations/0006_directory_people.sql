-- Contact lists served from SQL. Each user's ContactsGrain owns its contacts and keeps these rows in
-- step; names are read from dir_users, which the contact's own grain keeps current.
-- Client versions are not here: an app has few, and its ClientVersionsGrain answers from its state.

CREATE TABLE IF NOT EXISTS dir_contacts (
    owner_id   text        NOT NULL,
    contact_id text COLLATE "C" NOT NULL,   -- byte order: keyset paging by id
    remark     text        NOT NULL DEFAULT '',
    starred    boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (owner_id, contact_id)
);
