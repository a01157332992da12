-- The tenant list served from SQL (GET /v1/tenants). The tenant grain keeps its row in step with its state; tenants
-- created before this table existed are copied in from their grain state by every silo at start (TenantBackfill).

CREATE TABLE IF NOT EXISTS dir_tenants (
    tenant_id  text        PRIMARY KEY,
    name       text        NOT NULL,
    name_key   text COLLATE "C" NOT NULL,   -- lower(name): search by prefix and paging
    disabled   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS ix_dir_tenants_name ON dir_tenants (name_key, tenant_id);
