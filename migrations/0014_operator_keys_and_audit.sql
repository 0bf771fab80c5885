-- Operators as a team (issue 20): scoped API keys and the audit log. Expand-only: two new tables,
-- nothing the previous release reads is changed.

-- API keys. The key itself is shown once and never stored: only its SHA-256 (hex). A key is 32
-- random bytes, so a fast hash is enough (nothing to brute-force, unlike a password); a slow KDF
-- would only cost CPU on every cache miss. `roles` is a JSON array of read | metrics | operate | admin.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,                         -- key_ + ULID, public
  name TEXT NOT NULL,
  roles TEXT NOT NULL,                         -- JSON array
  hash TEXT NOT NULL UNIQUE,                   -- hex SHA-256 of the whole key
  prefix TEXT NOT NULL,                        -- the key's first 12 characters, to recognise it
  created_at TEXT NOT NULL,                    -- UTC ISO 8601
  created_by TEXT NOT NULL,                    -- the actor id (audit_log.actor)
  last_used_at TEXT,                           -- written at most once a minute per key and isolate
  revoked_at TEXT
) WITHOUT ROWID;

-- Every change an operator made, whoever they were (ADMIN_TOKEN, a key, Access). Written in the
-- action's own D1 batch (src/audit/), so an action and its record commit together.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,                            -- UTC ISO 8601
  actor TEXT NOT NULL,                         -- admin_token | key:<id> | access:<email> | system
  actor_name TEXT NOT NULL,                    -- the key's name or the person's email
  action TEXT NOT NULL,                        -- e.g. destination.update (docs/operator-api.md)
  target TEXT,                                 -- an event, destination or key id; null for a bulk action
  changes TEXT,                                -- JSON: what was asked for (never a secret)
  outcome TEXT NOT NULL                        -- ok, or the error code answered
);
-- The list (newest first, by seq) with each filter, and retention by time.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_target ON audit_log (target, seq) WHERE target IS NOT NULL;
