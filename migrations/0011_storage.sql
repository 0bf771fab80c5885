-- Storage and retention (issue 15, docs/schema.md "What each index costs").

-- Where retention's last window of events ended (events.seq; src/retention/db/delete-expired-events.ts):
-- the next run goes on from there, so an expired event that still owes a delivery is read once per
-- pass over the expired events, not on every run. 0 is the start.
CREATE TABLE retention_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO retention_cursor (id, seq) VALUES (1, 0);

-- Shipments, made again smaller (about 150 bytes less per shipment). Retention deletes a shipment
-- once it has not moved for RETENTION_DAYS (by shipments_updated), so shipments_by_last_event_id goes.
-- - It names its last event by seq (an integer, 3 bytes today) instead of the 30-byte id; on a tie
--   of carrier times the later stored event wins. Its carrier_status was always that event's: it
--   is read from there too (about 13 bytes less).
-- - Its two times are Unix milliseconds (an integer of 6 bytes) instead of 24-byte ISO text:
--   last_event_at is in the row and four indexes, updated_at in the row and one. Only the query
--   functions see them (src/operator/db/list-shipments.ts, get-shipment.ts,
--   src/consumer/db/upsert-shipments.ts, retention): the API still answers and takes ISO 8601, and
--   every time parcelhook stores is a whole millisecond (toISOString), so nothing is lost.
-- - The list's keyset ends with the rowid (a few bytes) instead of (carrier, tracking_number)
--   (about 26): each of the five indexes ends with the rowid anyway, so they hold only their own
--   columns. The key is a UNIQUE index, tracking number first: it also finds a shipment by
--   tracking number alone (GET /api/shipments/:tracking_number).
CREATE TABLE shipments_compact (
  carrier TEXT NOT NULL,
  tracking_number TEXT NOT NULL,
  status TEXT NOT NULL,                        -- canonical
  last_event_at INTEGER NOT NULL,              -- occurred_at of the event that set the status, Unix ms
  last_event_seq INTEGER NOT NULL,             -- that event's events.seq (its id is read from there)
  updated_at INTEGER NOT NULL,                 -- when the consumer last moved it, Unix ms
  UNIQUE (tracking_number, carrier)
);
-- Seconds and milliseconds apart, so no floating point (julianday) rounds a millisecond away. A
-- shipment whose last event is gone (retention and the consumer raced, before the writes joined
-- `events`) is an orphan and is removed here, once, as the attempts and deliveries below.
INSERT INTO shipments_compact (carrier, tracking_number, status, last_event_at, last_event_seq, updated_at)
  SELECT s.carrier, s.tracking_number, s.status,
    CAST(strftime('%s', s.last_event_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', s.last_event_at), 4) AS INTEGER),
    e.seq,
    CAST(strftime('%s', s.updated_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', s.updated_at), 4) AS INTEGER)
  FROM shipments s JOIN events e ON e.id = s.last_event_id;
DROP TABLE shipments;
ALTER TABLE shipments_compact RENAME TO shipments;
-- The shipments list's indexes (0003_shipments_list), in list order: last_event_at, then the rowid.
CREATE INDEX shipments_last_event ON shipments (last_event_at);
CREATE INDEX shipments_carrier_last_event ON shipments (carrier, last_event_at);
-- Like events_status_received below: only the exception statuses (the list spells this WHERE for
-- them); a common one, a large share of the shipments, is read along shipments_last_event.
CREATE INDEX shipments_status_last_event ON shipments (status, last_event_at)
  WHERE status NOT IN ('pending', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered');
CREATE INDEX shipments_open_last_event ON shipments (last_event_at)
  WHERE status NOT IN ('delivered', 'cancelled');
CREATE INDEX shipments_updated ON shipments (updated_at);

-- A tracking number has a handful of events: the list filtered by one sorts them (a few rows), so
-- the index need not carry received_at (24 bytes per event). Events without one (stock, rates,
-- manifests) are never looked up by it: `tracking_number = ?` implies IS NOT NULL, so SQLite uses
-- the partial index for every query that filters on it.
DROP INDEX events_tracking_received;
CREATE INDEX events_tracking ON events (tracking_number) WHERE tracking_number IS NOT NULL;

-- The same for the status filter: an event without a canonical status is never looked up by it, and
-- the statuses of the way every parcel goes (pending, picked up, in transit, out for delivery,
-- delivered: 95 % of the events in bench:indexes) are found along events_received, a page of one a
-- walk of a few hundred entries. The index holds the exceptions an operator looks for (failed,
-- delayed, on hold, waiting for pickup, returned, cancelled, unknown). The list's query spells this
-- WHERE for them (src/operator/db/event-filter-sql.ts).
DROP INDEX events_status_received;
CREATE INDEX events_status_received ON events (status, received_at)
  WHERE status NOT IN ('pending', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered');

-- The type filter looks for the other types (labels, orders, stock, rates, manifests); the
-- tracking updates every carrier sends (`shipment.status_changed`), the bulk of a shop's events,
-- are found along events_received. The list's query spells this WHERE for the other types.
DROP INDEX events_type_received;
CREATE INDEX events_type_received ON events (type, received_at) WHERE type <> 'shipment.status_changed';

-- The list's state filter looks for the few events not delivered (dead, held, retrying, queued,
-- stored); `delivered`, most of an old table, is found along events_received. The list's query
-- spells this WHERE (src/operator/db/event-filter-sql.ts), which is what lets SQLite use it.
DROP INDEX events_state_received;
CREATE INDEX events_state_received ON events (state, received_at) WHERE state <> 'delivered';

-- deliveries.state is a code (0006: 4 is delivered), so 0010's `state <> 'delivered'` held every
-- delivery: the /metrics index now holds only the deliveries not delivered, as 0010 meant.
DROP INDEX deliveries_unsettled;
CREATE INDEX deliveries_unsettled ON deliveries (destination_no, state) WHERE state <> 4;

-- Attempts name their event by its seq (an integer) instead of its 30-byte id, in the row and in
-- event_attempts_event, and keep attempted_at as Unix milliseconds (6 bytes instead of 24; the API
-- still answers ISO 8601: src/operator/db/get-event-detail.ts converts): about 70 bytes less per
-- attempt. Attempts and deliveries whose event is gone (written between the consumer's two round
-- trips while retention deleted it, before the writes joined `events`) are removed here, once.
CREATE TABLE event_attempts_compact (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_seq INTEGER NOT NULL,                  -- events.seq
  destination_no INTEGER,                      -- NULL: a replay to every destination
  attempted_at INTEGER NOT NULL,               -- Unix ms
  kind TEXT NOT NULL DEFAULT 'forward',        -- forward | replay | dead
  http_status INTEGER,
  error TEXT,
  duration_ms INTEGER
);
INSERT INTO event_attempts_compact (id, event_seq, destination_no, attempted_at, kind, http_status, error, duration_ms)
  SELECT a.id, e.seq, a.destination_no,
    CAST(strftime('%s', a.attempted_at) AS INTEGER) * 1000 + CAST(substr(strftime('%f', a.attempted_at), 4) AS INTEGER),
    a.kind, a.http_status, a.error, a.duration_ms
  FROM event_attempts a JOIN events e ON e.id = a.event_id;
DROP TABLE event_attempts;
ALTER TABLE event_attempts_compact RENAME TO event_attempts;
CREATE INDEX event_attempts_event ON event_attempts (event_seq);
DELETE FROM deliveries WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.seq = deliveries.event_seq);
