-- Quns and org trees, as lists served from SQL. The qun and org grains own the records and keep
-- these rows in step. Ids sort with COLLATE "C" (byte order), the order the grains page in.

CREATE TABLE dir_quns (
    qun_id     text COLLATE "C" PRIMARY KEY,
    tenant_id  text        NOT NULL,
    name       text        NOT NULL,
    owner_id   text COLLATE "C" NOT NULL,
    dissolved  boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_dir_quns_tenant ON dir_quns (tenant_id, qun_id);

CREATE TABLE dir_qun_members (
    qun_id  text COLLATE "C" NOT NULL REFERENCES dir_quns (qun_id) ON DELETE CASCADE,
    user_id text COLLATE "C" NOT NULL,
    role    smallint    NOT NULL,          -- 0 member, 1 admin, 2 owner
    PRIMARY KEY (qun_id, user_id)
);

CREATE INDEX ix_dir_qun_members_user ON dir_qun_members (user_id, qun_id);

-- The parent's foreign key guards the tree against races the grains cannot see: a child created
-- under an org that is being deleted, or an org deleted while it still has children.
CREATE TABLE dir_orgs (
    org_id     text COLLATE "C" PRIMARY KEY,
    tenant_id  text        NOT NULL,
    parent_id  text COLLATE "C" NULL REFERENCES dir_orgs (org_id),
    name       text        NOT NULL,
    sort_order integer     NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_dir_orgs_children ON dir_orgs (parent_id, sort_order, org_id);
CREATE INDEX ix_dir_orgs_roots ON dir_orgs (tenant_id, sort_order, org_id) WHERE parent_id IS NULL;

CREATE TABLE dir_org_members (
    org_id  text COLLATE "C" NOT NULL REFERENCES dir_orgs (org_id) ON DELETE CASCADE,
    user_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

CREATE INDEX ix_dir_org_members_user ON dir_org_members (user_id, org_id);
