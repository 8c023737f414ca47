-- Idempotency-Key claims that do not stay "in progress" for ever (issue #9): each claim names the request holding it
-- (claim_token: only that request completes or releases the key) and the hub node running it (claimed_by: a node
-- drops its own claims when it starts again). A claim older than the REST layer's timeout is taken over by a retry.
ALTER TABLE api_idempotency ADD COLUMN claim_token VARCHAR(64);
ALTER TABLE api_idempotency ADD COLUMN claimed_by VARCHAR(300);
CREATE INDEX api_idempotency_claimed_by_idx ON api_idempotency (claimed_by, status);
