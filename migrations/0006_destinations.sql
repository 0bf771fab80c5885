-- Destinations (docs/schema.md): where events are forwarded, each with its own filter, secret,
-- health and per-event deliveries. `default` is FORWARD_URL and FORWARD_SIGNING_SECRET from the
-- configuration; the others are created through the operator API.

-- One row per destination. `no` is the compact internal key deliveries use; `id` is the public one.
CREATE TABLE destinations (
  no INTEGER PRIMARY KEY,                      -- internal key (rowid); 1 is always `default`
  id TEXT NOT NULL UNIQUE,                     -- `default` or `dst_` + ULID
  name TEXT NOT NULL,
  url TEXT,                                    -- NULL for `default` (FORWARD_URL is read from the configuration)
  filter TEXT,                                 -- JSON { carriers?, statuses?, types? }; NULL = every event
  paused INTEGER NOT NULL DEFAULT 0,
  secret TEXT,                                 -- the signing secret, encrypted (NULL for `default`: FORWARD_SIGNING_SECRET)
  previous_secret TEXT,                        -- after a rotation, also signs until previous_secret_until
  previous_secret_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,                             -- set by DELETE: nothing more is sent there; its deliveries stay readable
  -- Health, kept by the delivery state machine only (src/delivery/): up | down | refusing.
  health TEXT NOT NULL DEFAULT 'up',
  failures INTEGER NOT NULL DEFAULT 0,         -- failed forwards in a row (no answer, 5xx, 408, 429)
  refusals INTEGER NOT NULL DEFAULT 0,         -- 401/403/404/410 to different events in a row, none accepted
  refused_seq INTEGER,                         -- the event (seq) of the last refusal: a repeat of it is not counted again
  down_since TEXT,
  probe_after TEXT,                            -- the catch-up probes no sooner (Retry-After)
  last_success_at TEXT,
  last_failure_at TEXT,
  last_failure_status INTEGER,
  last_failure_error TEXT
);
INSERT INTO destinations (no, id, name, created_at, updated_at)
  VALUES (1, 'default', 'default', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z');

-- One row per (event, destination it matched): the delivery state machine's rows
-- (src/delivery/transitions.ts). Integers only and no rowid, so a delivery costs about 15 bytes.
CREATE TABLE deliveries (
  event_seq INTEGER NOT NULL,                  -- events.seq
  destination_no INTEGER NOT NULL,             -- destinations.no
  state INTEGER NOT NULL,                      -- 1 queued, 2 retrying, 3 held, 4 delivered, 5 dead, 6 dropped (src/delivery/delivery-state.ts)
  attempts INTEGER NOT NULL DEFAULT 0,         -- counted across holds: no event is tried forever
  gen INTEGER NOT NULL DEFAULT 0,              -- replay generation: a queue message carries it, an older message's outcome is ignored
  updated_at INTEGER NOT NULL,                 -- Unix seconds of the last transition
  PRIMARY KEY (event_seq, destination_no)
) WITHOUT ROWID;
