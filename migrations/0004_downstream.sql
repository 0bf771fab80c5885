-- The downstream's health, for holding an outage's events instead of spending their retries
-- (docs/consumer.md, "Hold and catch-up"). One row, kept by the consumer and the cron's catch-up.
CREATE TABLE downstream (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  failures INTEGER NOT NULL DEFAULT 0,         -- failed forwards in a row, across batches (no answer, 5xx, 408, 429)
  down_since TEXT,                             -- set when failures reached the hold threshold; NULL while up
  updated_at TEXT NOT NULL
);
INSERT INTO downstream (id, failures, down_since, updated_at) VALUES (1, 0, NULL, '1970-01-01T00:00:00.000Z');

-- The catch-up's probe order: held events, least recently probed first, then oldest.
CREATE INDEX events_held ON events (updated_at, received_at) WHERE state = 'held';
