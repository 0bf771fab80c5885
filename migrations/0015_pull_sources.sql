-- Pull sources (src/pull/, docs/carriers/adding-a-carrier.md "A pull source"): one row per source
-- the cron job has run, written twice a run (claim, then finish). Expand-only: a new table that the
-- previous release's Workers never read.
CREATE TABLE pull_sources (
  carrier TEXT PRIMARY KEY,                    -- the pull source's carrier name
  cursor TEXT,                                 -- "changed since" kept on our side; NULL when the source keeps its own place
  lease_until INTEGER NOT NULL DEFAULT 0,      -- Unix ms: a run holds the source until then (overlapping cron runs skip it)
  next_at INTEGER NOT NULL DEFAULT 0,          -- Unix ms: not run again before (its schedule, or its back-off)
  failures INTEGER NOT NULL DEFAULT 0,         -- failed runs in a row (0 after a good one): the back-off's exponent
  last_run_at INTEGER,                         -- Unix ms of the last run's end
  last_ok_at INTEGER,                          -- Unix ms of the last run that read and acknowledged without a failure
  last_failure TEXT,                           -- unreachable | refused | storage (NULL after a good run)
  last_error TEXT,                             -- what failed, short, never a credential (NULL after a good run)
  stored INTEGER NOT NULL DEFAULT 0,           -- records stored as new events, since the row was made
  duplicates INTEGER NOT NULL DEFAULT 0,       -- records read again and absorbed by dedup
  quarantined INTEGER NOT NULL DEFAULT 0,      -- records stored in quarantine (schema refused them)
  pages INTEGER NOT NULL DEFAULT 0             -- pages acknowledged
) WITHOUT ROWID;
