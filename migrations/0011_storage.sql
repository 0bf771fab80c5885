-- Storage and retention (issue 15, docs/schema.md "What each index costs").

-- Where retention's last window of events ended (events.seq; src/retention/db/delete-expired-events.ts):
-- the next run goes on from there, so an expired event that still owes a delivery is read once per
-- pass over the expired events, not on every run. 0 is the start.
CREATE TABLE retention_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO retention_cursor (id, seq) VALUES (1, 0);
