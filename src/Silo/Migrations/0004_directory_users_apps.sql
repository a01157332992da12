-- Directory lists served from SQL. The owning grains keep these rows in step with their state;
-- the unique constraints also decide races (two users claiming one username).

CREATE TABLE dir_users (
    user_id      text        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    username     text        NOT NULL,
    username_key text COLLATE "C" NOT NULL,   -- lower(username): uniqueness, search and paging
    display_name text        NOT NULL,
    status       smallint    NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ux_dir_users_username UNIQUE (tenant_id, username_key)
);

CREATE TABLE dir_apps (
    app_id     text        PRIMARY KEY,
    tenant_id  text        NOT NULL,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_dir_apps_tenant ON dir_apps (tenant_id, app_id);
