-- Single-use nonces for account linking (LINE account link, docs/connectors/line.md): issued for a known customer,
-- used once by the provider's event that confirms the customer's channel identity. Only the SHA-256 digest of a
-- nonce is stored. used_by names the event that used it, so its redelivery gets the same answer.
CREATE TABLE link_nonces (
    tenant_id    VARCHAR(64)  NOT NULL,
    nonce_hash   CHAR(64)     NOT NULL,
    customer_id  VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    used_at      BIGINT,
    used_by      VARCHAR(300),
    CONSTRAINT link_nonces_pk PRIMARY KEY (tenant_id, nonce_hash)
);
CREATE INDEX link_nonces_expires_idx ON link_nonces (expires_at);
