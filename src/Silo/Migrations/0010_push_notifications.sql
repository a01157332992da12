-- Offline notifications (APNs, FCM, Web Push): users' device registrations, apps' provider credentials
-- (encrypted by the silo's SecretProtector before they reach this table), and one row per notification
-- handed to a provider, which makes "never twice per (message, device)" hold across silos and restarts.

CREATE TABLE IF NOT EXISTS push_devices (
    user_id       text COLLATE "C" NOT NULL,
    device_id     text COLLATE "C" NOT NULL,
    tenant_id     text        NOT NULL,
    app_id        text        NOT NULL,
    platform      text        NOT NULL,     -- apns, fcm, webpush
    terminal_type smallint    NOT NULL,
    token         text        NOT NULL,     -- the APNs or FCM token, or the Web Push endpoint URL
    p256dh        text        NULL,         -- Web Push: the subscription's public key (base64url)
    auth          text        NULL,         -- Web Push: the subscription's auth secret (base64url)
    sandbox       boolean     NOT NULL DEFAULT false,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id)
);
-- One phone, one owner: a token registered again (by any user) replaces the earlier row.
CREATE UNIQUE INDEX IF NOT EXISTS ux_push_devices_token ON push_devices (app_id, platform, token);

CREATE TABLE IF NOT EXISTS push_credentials (
    app_id     text COLLATE "C" NOT NULL,
    platform   text        NOT NULL,        -- apns, fcm, webpush
    secret     text        NOT NULL,        -- protected JSON (aesgcm1:...)
    public_key text        NULL,            -- webpush: the VAPID public key (base64url), readable by the app
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (app_id, platform)
);

CREATE TABLE IF NOT EXISTS push_sent (
    message_id text COLLATE "C" NOT NULL,
    user_id    text COLLATE "C" NOT NULL,
    device_id  text COLLATE "C" NOT NULL,
    app_id     text        NOT NULL,
    state      text        NOT NULL,        -- pending, sent, failed:<reason>, pruned, cancelled
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, user_id, device_id)
);
CREATE INDEX IF NOT EXISTS ix_push_sent_at ON push_sent (at);
