-- What the ACD needs to rebuild its state after a restart (issue #11, docs/history.md "ACD state").
-- queued_at: when the interaction was queued in its current queue (queued_in), kept by saveInteraction: set when
-- the interaction is QUEUED in a queue other than queued_in, kept while it is offered, taken back or assigned.
ALTER TABLE interactions ADD COLUMN queued_at BIGINT;
ALTER TABLE interactions ADD COLUMN queued_in VARCHAR(128);
-- Interactions open before this migration: their creation time is the best arrival time known.
UPDATE interactions SET queued_at = created_at, queued_in = queue_id
    WHERE state IN ('QUEUED', 'OFFERED', 'CONNECTED', 'HELD', 'WRAP_UP');
CREATE INDEX interactions_state_idx ON interactions (tenant_id, state);

-- The last presence of each agent, as the ACD last reported it.
CREATE TABLE agent_presence (
    tenant_id   VARCHAR(64)   NOT NULL,
    agent_id    VARCHAR(128)  NOT NULL,
    state       VARCHAR(32)   NOT NULL,
    reason      VARCHAR(256)  DEFAULT '' NOT NULL,
    since       BIGINT        NOT NULL,
    CONSTRAINT agent_presence_pk PRIMARY KEY (tenant_id, agent_id)
);

-- Sticky (last-agent) records: the agent who last accepted an interaction of the customer, on which channel, when.
CREATE TABLE sticky_agents (
    tenant_id    VARCHAR(64)   NOT NULL,
    customer_id  VARCHAR(64)   NOT NULL,
    agent_id     VARCHAR(128)  NOT NULL,
    channel      VARCHAR(16)   NOT NULL,
    at           BIGINT        NOT NULL,
    CONSTRAINT sticky_agents_pk PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX sticky_agents_at_idx ON sticky_agents (tenant_id, at);

-- Idempotency retention is per tenant (IdempotencyRepository.purgeOlderThan).
CREATE INDEX processed_events_tenant_idx ON processed_events (tenant_id, processed_at);
