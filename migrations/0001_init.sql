-- parcelhook's core tables. docs/schema.md says what each column is for.

-- One row per accepted carrier event: the normalized event, its raw body and its delivery state.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,       -- insertion order; the operator API's paging cursor
  id TEXT NOT NULL UNIQUE,                     -- evt_…, fixed at first receipt
  carrier TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,             -- carrier:identity, see docs/event-identity.md
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,                   -- carrier's time, UTC ISO 8601
  received_at TEXT NOT NULL,                   -- UTC ISO 8601
  tracking_number TEXT,
  carrier_reference TEXT,
  status TEXT,                                 -- canonical status or NULL
  carrier_status TEXT,
  reason TEXT,
  data TEXT NOT NULL,                          -- JSON object
  raw_body TEXT NOT NULL,                      -- the bytes as received (UTF-8)
  request_url TEXT NOT NULL,                   -- with any `secret` query parameter removed
  state TEXT NOT NULL DEFAULT 'queued',        -- queued | delivered | retrying | dead | stored
  duplicates INTEGER NOT NULL DEFAULT 0,       -- how many later deliveries were the same event
  enqueue_failed_at TEXT,                      -- set when queue.send failed; the sweep picks these first
  swept_at TEXT,                               -- last time the sweep sent it to the queue
  seen_at TEXT,                                -- first time the consumer saw it: it reached the queue
  attempts INTEGER NOT NULL DEFAULT 0,         -- forward attempts so far
  updated_at TEXT NOT NULL
);

-- What the sweep looks for: events the consumer has never seen.
CREATE INDEX events_unseen ON events (received_at) WHERE seen_at IS NULL;

-- Authenticated deliveries that failed validation: kept with their issues until retried.
CREATE TABLE quarantine (
  id TEXT PRIMARY KEY,                         -- dlv_…
  carrier TEXT NOT NULL,
  received_at TEXT NOT NULL,
  request_url TEXT NOT NULL,
  raw_body TEXT NOT NULL,
  issues TEXT NOT NULL,                        -- JSON array of { path, message }
  resolved_event_id TEXT,                      -- set when a retry turned it into an event
  resolved_at TEXT
);
CREATE INDEX quarantine_received ON quarantine (received_at DESC, id DESC);

-- Each shipment's current state, kept by the queue consumer.
CREATE TABLE shipments (
  carrier TEXT NOT NULL,
  tracking_number TEXT NOT NULL,
  status TEXT NOT NULL,                        -- canonical
  carrier_status TEXT,
  last_event_at TEXT NOT NULL,                 -- occurred_at of the event that set the status
  last_event_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (carrier, tracking_number)
);

-- Every forward attempt and every replay, per event.
CREATE TABLE event_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  attempted_at TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'forward',        -- forward | replay | dead
  http_status INTEGER,
  error TEXT,
  duration_ms INTEGER
);
CREATE INDEX event_attempts_event ON event_attempts (event_id, id);

-- Rejected webhook requests, counted per hour, carrier and answer code (never the request itself).
CREATE TABLE rejections (
  hour TEXT NOT NULL,                          -- 2026-11-23T06:00:00Z
  carrier TEXT NOT NULL,
  status INTEGER NOT NULL,
  code TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, carrier, status, code)
);
