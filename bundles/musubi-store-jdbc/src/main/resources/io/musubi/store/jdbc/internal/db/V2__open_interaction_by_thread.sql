-- The ingress pipeline looks up the open interaction of a conversation thread (LINE user, mail thread, call id)
-- for every inbound message: index it.
CREATE INDEX interactions_thread_idx ON interactions (tenant_id, channel, thread_key, created_at);
