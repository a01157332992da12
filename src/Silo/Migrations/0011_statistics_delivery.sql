-- Statistics (stats_hourly) and the message-id index of the delivery state route.

-- Statistics per tenant and app by UTC hour. app_id '' holds what belongs to the tenant but to no app (users'
-- messages, deliveries, acknowledgements, connections); a tenant's totals are the sum of all its rows. Edges count
-- in memory and add their counts every few seconds, one statement per edge and flush; days are summed from hours.

CREATE TABLE IF NOT EXISTS stats_hourly (
    tenant_id          text        NOT NULL,
    app_id             text        NOT NULL,
    hour               timestamptz NOT NULL,
    messages_user      bigint      NOT NULL DEFAULT 0,
    messages_qun       bigint      NOT NULL DEFAULT 0,
    messages_org       bigint      NOT NULL DEFAULT 0,
    messages_tenant    bigint      NOT NULL DEFAULT 0,
    messages_app       bigint      NOT NULL DEFAULT 0,
    messages_session   bigint      NOT NULL DEFAULT 0,
    bytes_stored       bigint      NOT NULL DEFAULT 0,
    deliveries_live    bigint      NOT NULL DEFAULT 0,
    deliveries_replay  bigint      NOT NULL DEFAULT 0,
    acknowledgements   bigint      NOT NULL DEFAULT 0,
    api_calls          bigint      NOT NULL DEFAULT 0,
    quota_refusals     bigint      NOT NULL DEFAULT 0,
    peak_connections   bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, app_id, hour)
);

-- GET /v1/messages/{id}/delivery finds a stored message by its id.
CREATE INDEX IF NOT EXISTS ix_msg_messages_message_id ON msg_messages (message_id);
