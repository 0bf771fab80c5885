-- Request counters (docs/retention-and-alerts.md, docs/metrics.md). Both are written only by the
-- per-isolate counter flush (src/rejections/), one batch per flush whatever the request rate, so a
-- flood of junk still costs D1 almost nothing.

-- Per carrier: the requests refused (401/403) since its last accepted one, for sender_rejected.
-- A run ends when the carrier has an event received after the run's latest refusal: the flush
-- then starts a new run, and the alert check ignores the old one.
CREATE TABLE rejection_runs (
  carrier TEXT PRIMARY KEY,
  unauthorized INTEGER NOT NULL,               -- 401s in the run
  forbidden INTEGER NOT NULL,                  -- 403s in the run
  first_at TEXT NOT NULL,                      -- the run's first refusal, UTC ISO 8601
  last_at TEXT NOT NULL                        -- its latest
) WITHOUT ROWID;
-- The alert check reads only runs long enough to alert on (10: SENDER_REJECTED_AFTER in
-- src/alerts/alert.ts), by their latest refusal.
CREATE INDEX rejection_runs_alerting ON rejection_runs (last_at) WHERE unauthorized + forbidden >= 10;

-- Every webhook request since the deployment began, per carrier and outcome: monotonic counters
-- for /metrics (the hourly `rejections` rows are deleted by retention, which a Prometheus counter
-- must never see). The key space is small and bounded (known carriers, `unknown`, `operator`, the
-- contract's answers), so the table never grows with traffic.
CREATE TABLE request_totals (
  carrier TEXT NOT NULL,                       -- a carrier, `unknown` (unknown path) or `operator`
  outcome TEXT NOT NULL,                       -- accepted | duplicate | quarantined | rejected
  status INTEGER NOT NULL,                     -- the HTTP status answered
  code TEXT NOT NULL,                          -- the error code; '' when accepted
  count INTEGER NOT NULL,
  PRIMARY KEY (carrier, outcome, status, code)
) WITHOUT ROWID;

-- /metrics counts each destination's deliveries by state, except the delivered bulk: this index
-- holds only the deliveries not yet delivered (owed or dead), so a scrape reads those and no more.
CREATE INDEX deliveries_unsettled ON deliveries (destination_no, state) WHERE state <> 'delivered';
