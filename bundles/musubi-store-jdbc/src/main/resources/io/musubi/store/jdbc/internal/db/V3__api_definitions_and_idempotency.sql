-- Agent and queue definitions managed over the REST API, restored into the ACD when the hub starts.
-- id is the tenant-scoped id (tenant/local); body is the definition as JSON, owned by the REST layer.
CREATE TABLE acd_definitions (
    kind        VARCHAR(16)   NOT NULL,
    id          VARCHAR(200)  NOT NULL,
    tenant_id   VARCHAR(64)   NOT NULL,
    body        VARCHAR(65536) NOT NULL,
    updated_at  BIGINT        NOT NULL,
    CONSTRAINT acd_definitions_pk PRIMARY KEY (kind, id)
);
CREATE INDEX acd_definitions_tenant_idx ON acd_definitions (tenant_id, kind);

-- Responses to POST requests that carried an Idempotency-Key: a repeat of the key within the retention gets the
-- stored response instead of a second effect. status 0 marks a request still in progress.
CREATE TABLE api_idempotency (
    tenant_id     VARCHAR(64)    NOT NULL,
    idem_key      VARCHAR(300)   NOT NULL,
    request_hash  VARCHAR(64)    NOT NULL,
    status        INTEGER        NOT NULL,
    location      VARCHAR(2000),
    body          VARCHAR(1048576),
    created_at    BIGINT         NOT NULL,
    CONSTRAINT api_idempotency_pk PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);
