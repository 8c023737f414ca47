-- Issue #11: the idempotency mark of an inbound event remembers the interaction it opened or joined, so a repeat of
-- the event is answered with that interaction without re-deriving its id (derived ids carry the event's time now, and
-- a provider's or client's retry may carry another time). Marks written before this version have none (NULL).
ALTER TABLE processed_events ADD COLUMN interaction_id VARCHAR(128);
