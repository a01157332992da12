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

-- Tenant totals in stats_hourly: app_id '*' holds the sum of all of a tenant's rows of the hour (app ids never are
-- '*'), written with them by StatsStore, so GET /v1/stats for a tenant reads one row per hour however many apps it
-- has. The hours stored before this migration get theirs here, once.
INSERT INTO stats_hourly (tenant_id, app_id, hour, messages_user, messages_qun, messages_org, messages_tenant, messages_app,
                          messages_session, bytes_stored, deliveries_live, deliveries_replay, acknowledgements, api_calls,
                          quota_refusals, peak_connections, notifications_sent, notifications_failed, notifications_pruned)
SELECT tenant_id, '*', hour, sum(messages_user), sum(messages_qun), sum(messages_org), sum(messages_tenant), sum(messages_app),
       sum(messages_session), sum(bytes_stored), sum(deliveries_live), sum(deliveries_replay), sum(acknowledgements),
       sum(api_calls), sum(quota_refusals), max(peak_connections), sum(notifications_sent), sum(notifications_failed),
       sum(notifications_pruned)
  FROM stats_hourly
 WHERE app_id <> '*'
 GROUP BY tenant_id, hour
ON CONFLICT (tenant_id, app_id, hour) DO NOTHING;
