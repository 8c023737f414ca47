-- REST API keys (docs/security.md). A client sends msk_<id>_<secret>; only the SHA-256 digest of the secret is
-- stored. Roles are lower-case names joined by commas. A revoked key keeps its row (audit) with revoked_at set.
CREATE TABLE api_keys (
    id           VARCHAR(16)  NOT NULL,
    tenant_id    VARCHAR(64)  NOT NULL,
    name         VARCHAR(128) NOT NULL,
    roles        VARCHAR(256) NOT NULL,
    agent_id     VARCHAR(64),
    secret_hash  CHAR(64)     NOT NULL,
    created_at   BIGINT       NOT NULL,
    revoked_at   BIGINT,
    CONSTRAINT api_keys_pk PRIMARY KEY (id)
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at);
