/** The conditions parcelhook alerts on (the interface doc's Alerts table). */
export const ALERT_NAMES = [
  "events_dead",
  "sender_rejected",
  "carrier_silent",
  "delivery_stalled",
  "destination_refusing",
  "storage_high",
  "bulk_replay",
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

/** One alert as POSTed to ALERT_URL: Slack shows `text`, machines read the rest. */
export interface Alert {
  text: string;
  alert: AlertName;
  /** null for a condition of the whole deployment or of a destination (then `details.destination`). */
  carrier: string | null;
  count: number;
  /** UTC ISO 8601: the start of what `count` counts. */
  since: string;
  details: Record<string, unknown>;
}

/** How often one condition may alert for one carrier. */
export const ALERT_INTERVAL_MS = 60 * 60 * 1000;
/** Events waiting this long without reaching the consumer mean delivery is stalled. */
export const STALLED_AFTER_MS = 15 * 60 * 1000;
/**
 * sender_rejected once a carrier has this many requests refused (401/403) since its last accepted
 * one. The partial index rejection_runs_alerting (migrations/0010) holds the same number.
 */
export const SENDER_REJECTED_AFTER = 10;
/** storage_high past this share of STORAGE_BUDGET_BYTES. */
export const STORAGE_HIGH_SHARE = 0.8;

/** What "at most one per condition and carrier (or destination) per hour" keys on; '' for the whole deployment. */
export const alertSubject = (a: Pick<Alert, "carrier" | "details">): string =>
  a.carrier ?? (typeof a.details.destination === "string" ? a.details.destination : "");
