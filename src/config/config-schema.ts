import * as v from "valibot";

/** Every default of every shared setting (a carrier declares its own in its folder, src/carriers). */
export const DEFAULTS = {
  MAX_BODY_BYTES: 524_288,
  FORWARD_RETRY_BASE_SECONDS: 30,
  FORWARD_TIMEOUT_MS: 15_000,
  RETENTION_DAYS: 90,
  AUDIT_RETENTION_DAYS: 365,
  CARRIER_SILENCE_HOURS: 24,
  STORAGE_BUDGET_BYTES: 10_000_000_000,
  EVENTS_QUEUE_NAME: "carrier-events",
  DEAD_LETTER_QUEUE_NAME: "carrier-events-dlq",
} as const;

// v.check with the same rule and message as valibot's `safeInteger` and `url` actions: the issues
// are the same, and each action left out of the Workers' bundles is about 0.2 KB.
const positiveInteger = v.pipe(
  v.string(),
  v.regex(/^\d+$/, "must be a whole number"),
  v.transform(Number),
  v.number(),
  v.check((n: number) => Number.isSafeInteger(n), "must be a whole number"),
  v.minValue(1, "must be at least 1"),
);

const httpUrl = v.pipe(
  v.string(),
  v.check((s: string) => URL.canParse(s), "must be an absolute URL"),
  v.check((s) => /^https?:\/\//i.test(s), "must be an http or https URL"),
);

const whsecKey = v.pipe(v.string(), v.regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, "must be whsec_ followed by a base64 key"));

const queueName = v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,63}$/, "must be a queue name (a-z, 0-9, -)"));

/**
 * One schema per var, applied to its trimmed value when it is set and not blank. A value that
 * fails keeps the default, and the failure is reported (log and /health), never silently.
 */
export const VAR_SCHEMAS = {
  MAX_BODY_BYTES: positiveInteger,
  FORWARD_URL: httpUrl,
  FORWARD_RETRY_BASE_SECONDS: positiveInteger,
  FORWARD_TIMEOUT_MS: positiveInteger,
  RETENTION_DAYS: positiveInteger,
  AUDIT_RETENTION_DAYS: positiveInteger,
  ALERT_URL: httpUrl,
  CARRIER_SILENCE_HOURS: positiveInteger,
  STORAGE_BUDGET_BYTES: positiveInteger,
  EVENTS_QUEUE_NAME: queueName,
  DEAD_LETTER_QUEUE_NAME: queueName,
  FORWARD_SIGNING_SECRET: whsecKey,
  ALERT_SIGNING_SECRET: whsecKey,
} as const;

/**
 * Secrets and tokens: comma lists, any value passes (rotation). Never validated beyond that. Each
 * carrier's own settings are declared in its folder (src/carriers/<name>) and parsed with these.
 * DESTINATIONS_KEY encrypts destinations' signing secrets in D1 (src/destinations/secret-box.ts):
 * the first value seals, any value opens, so it can be rotated; each at least
 * MIN_DESTINATIONS_KEY_CHARS long.
 */
export const SECRET_LISTS = ["ADMIN_TOKEN", "DESTINATIONS_KEY"] as const;

/** DESTINATIONS_KEY is key material, not a password: a short one is refused (and named in /health). */
export const MIN_DESTINATIONS_KEY_CHARS = 32;
