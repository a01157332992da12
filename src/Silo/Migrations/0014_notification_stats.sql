-- Notification outcomes in the statistics (per tenant, app and hour), and the index that lets a tenant's
-- broadcast page through its registered devices without walking every tenant's.

ALTER TABLE stats_hourly ADD COLUMN IF NOT EXISTS notifications_sent bigint NOT NULL DEFAULT 0;
ALTER TABLE stats_hourly ADD COLUMN IF NOT EXISTS notifications_failed bigint NOT NULL DEFAULT 0;
ALTER TABLE stats_hourly ADD COLUMN IF NOT EXISTS notifications_pruned bigint NOT NULL DEFAULT 0;

CREATE INDEX IF NOT EXISTS ix_push_devices_tenant ON push_devices (tenant_id, user_id, device_id);
