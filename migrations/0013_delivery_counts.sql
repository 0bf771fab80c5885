-- Seeks where scans were (issue 18, docs/schema.md "What each index costs"). Expand only: a table,
-- triggers and indexes; nothing the previous release's Workers read or write changes, and its
-- writes keep the counts right too (the triggers count whoever writes).

-- Each destination's deliveries per state, kept by the triggers below on every write to
-- `deliveries` (insert, a state move, a delete: retention's deletes go through the trigger
-- events_delete_deliveries, whose deletes fire these too). The destinations page and API, the
-- catch-up, the alerts and /metrics read a destination's counts here: a primary-key lookup, the same
-- cost whatever the number of deliveries. A row stays at 0 when its last delivery leaves the state
-- (at most six per destination).
-- Writers must never use REPLACE on `deliveries`: its conflict deletes fire no trigger (SQLite's
-- recursive_triggers is off), so the counts would drift. A later migration that rebuilds
-- `deliveries` drops these triggers with the table: it must make them again and recount.
CREATE TABLE delivery_counts (
  destination_no INTEGER NOT NULL,             -- destinations.no
  state INTEGER NOT NULL,                      -- deliveries.state (STATE_CODE)
  n INTEGER NOT NULL,                          -- how many of its deliveries are in that state
  PRIMARY KEY (destination_no, state)
) WITHOUT ROWID;

-- Trigger bodies: BEGIN and END in capitals, no CASE (D1's and wrangler's statement splitters).
CREATE TRIGGER deliveries_count_insert AFTER INSERT ON deliveries
BEGIN
  INSERT INTO delivery_counts (destination_no, state, n) VALUES (new.destination_no, new.state, 1)
    ON CONFLICT (destination_no, state) DO UPDATE SET n = n + 1;
END;

-- An upsert's DO UPDATE fires this one, not the insert trigger; an update that leaves the state
-- as it was (a retry's attempts, a probe's updated_at) changes no count.
CREATE TRIGGER deliveries_count_update AFTER UPDATE OF state, destination_no ON deliveries
WHEN old.state IS NOT new.state OR old.destination_no IS NOT new.destination_no
BEGIN
  UPDATE delivery_counts SET n = n - 1 WHERE destination_no = old.destination_no AND state = old.state;
  INSERT INTO delivery_counts (destination_no, state, n) VALUES (new.destination_no, new.state, 1)
    ON CONFLICT (destination_no, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER deliveries_count_delete AFTER DELETE ON deliveries
BEGIN
  UPDATE delivery_counts SET n = n - 1 WHERE destination_no = old.destination_no AND state = old.state;
END;

-- The deliveries kept so far, counted once, in the same migration (one transaction) as the
-- triggers: no write falls between the count and the first trigger.
INSERT INTO delivery_counts (destination_no, state, n)
  SELECT destination_no, state, count(*) FROM deliveries GROUP BY destination_no, state;

-- The catch-up's probe of one destination: its held delivery moved least recently
-- (selectProbe). deliveries_owed_moved (state, updated_at) walked every destination's held
-- deliveries to find one destination's first. Only held deliveries: empty while every destination
-- is up.
CREATE INDEX deliveries_held_moved ON deliveries (destination_no, updated_at) WHERE state = 3;

-- The deliveries a deleted destination's drop just moved (dropDeleted's second statement finds
-- their events by the drop's time). Only dropped deliveries: those of deleted destinations.
CREATE INDEX deliveries_dropped ON deliveries (destination_no, updated_at) WHERE state = 6;
