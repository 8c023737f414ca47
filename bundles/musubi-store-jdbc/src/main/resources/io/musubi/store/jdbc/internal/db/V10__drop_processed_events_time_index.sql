-- Issue #11: every inbound event writes one processed_events row, and each index on it is one more B-tree page to
-- write per commit. The purge of old marks is per tenant (processed_events_tenant_idx, V8); nothing reads
-- processed_at alone any more, so the V1 index on it only cost writes.
DROP INDEX processed_events_time_idx;
