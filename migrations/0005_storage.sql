-- A storage budget and alerts (issue 9). docs/schema.md and docs/retention-and-alerts.md say more.

-- From now on events.raw_body, events.data and quarantine.raw_body hold compact BLOBs
-- (src/db/body-codec.ts). No ALTER is needed: a TEXT-affinity column keeps a BLOB as a BLOB, and
-- rows written before stay TEXT and are read as they are until retention deletes them.

-- Retention deletes a shipment with its last event: this finds the shipments of a chunk of events
-- (a multi-parcel label's event is the last event of several shipments).
CREATE INDEX shipments_by_last_event_id ON shipments (last_event_id);

-- The events_dead alert's question every minute, "what went dead in the last hour": a partial index
-- holds only dead events, so the answer reads those of the hour, not every dead event kept.
CREATE INDEX events_dead_updated ON events (updated_at) WHERE state = 'dead';

-- The last alert sent per condition and carrier, so each is sent at most once an hour.
CREATE TABLE alerts_sent (
  alert TEXT NOT NULL,                         -- events_dead | sender_rejected | carrier_silent | delivery_stalled | storage_high
  carrier TEXT NOT NULL,                       -- '' for a condition of the whole deployment
  sent_at TEXT NOT NULL,                       -- UTC ISO 8601
  since TEXT NOT NULL,                         -- the alert's `since`
  count INTEGER NOT NULL,
  PRIMARY KEY (alert, carrier)
);
