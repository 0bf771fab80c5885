-- Per-event delivery state becomes per delivery (docs/consumer.md, docs/schema.md). Every event
-- that was forwarded or owed a forward gets one delivery row for `default` (FORWARD_URL) with its
-- state and attempts as they were, generation 0 (what a message written by the old code means),
-- so nothing is lost and nothing delivered is sent again. `stored` events matched no destination
-- and get none. events.state stays: from now on it is the aggregate of an event's deliveries.
INSERT INTO deliveries (event_seq, destination_no, state, attempts, gen, updated_at)
SELECT seq, 1,
       CASE state WHEN 'queued' THEN 1 WHEN 'retrying' THEN 2 WHEN 'held' THEN 3 WHEN 'delivered' THEN 4 ELSE 5 END,
       attempts, 0, CAST(strftime('%s', updated_at) AS INTEGER)
FROM events WHERE state IN ('queued', 'retrying', 'held', 'delivered', 'dead');

-- The one downstream's health becomes default's.
UPDATE destinations SET
  health = CASE WHEN (SELECT down_since FROM downstream WHERE id = 1) IS NULL THEN 'up' ELSE 'down' END,
  failures = coalesce((SELECT failures FROM downstream WHERE id = 1), 0),
  down_since = (SELECT down_since FROM downstream WHERE id = 1)
WHERE no = 1;

-- Attempts name their destination; rows written before were all default's. A replay row of every
-- destination has none.
ALTER TABLE event_attempts ADD COLUMN destination_no INTEGER;
UPDATE event_attempts SET destination_no = 1 WHERE kind <> 'replay';

-- Held events are held deliveries now; the downstream table is no longer read or written (kept so
-- a consumer of the previous version still running during a deploy does not fail).
DROP INDEX events_held;

-- The catch-up and the sweep read only deliveries that still owe something: partial indexes keep
-- them out of the delivered majority. Held and queued per destination, oldest first (caught up in
-- order, counted for the alerts), and by last move (the probe's order, the stall check).
CREATE INDEX deliveries_owed ON deliveries (destination_no, state, event_seq) WHERE state IN (1, 2, 3);
CREATE INDEX deliveries_owed_moved ON deliveries (state, updated_at) WHERE state IN (1, 2, 3);

-- Retention deletes events; their deliveries go with them.
CREATE TRIGGER events_delete_deliveries AFTER DELETE ON events
BEGIN
  DELETE FROM deliveries WHERE event_seq = old.seq;
END;
