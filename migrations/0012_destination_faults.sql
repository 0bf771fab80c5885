-- Destination-wide faults (issue 18; docs/consumer.md, "Faults of the whole destination").
-- Expand-only: two nullable columns the previous release's Workers neither read nor write.

-- What keeps the consumer from sending to this destination at all, NULL when nothing does:
-- 'no_signing_key' (no usable signing key on the consumer) or 'no_forward_url' (`default` without
-- FORWARD_URL on the consumer while the Hono app has one). Set with health = 'refusing' by the
-- consumer; cleared by the next 2xx (the catch-up's probe). Kept by src/delivery/ only.
ALTER TABLE destinations ADD COLUMN fault TEXT;

-- Row 1 (`default`) only: whether the Hono app has FORWARD_URL (1) or not (0), written by its cron
-- each minute; NULL until it first ran. A consumer without FORWARD_URL drops default's deliveries
-- only when this says 0 (forwarding turned off on both Workers); otherwise it holds them (drift).
ALTER TABLE destinations ADD COLUMN app_forward_url INTEGER;
