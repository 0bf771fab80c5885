import type { EventDraft } from "../../events/normalized-event";
import { aftershipEventType } from "./aftership-event-type";
import { aftershipOccurredAt } from "./aftership-occurred-at";
import type { AftershipCheckpoint, AftershipPayload } from "./aftership-payload-schema";
import { aftershipStatus } from "./aftership-status";
import { newestCheckpoint } from "./newest-checkpoint";

// Tags whose subtag message says why a delivery did not happen ("Customer refused delivery").
const FAILURE_TAGS = new Set(["AttemptFail", "Exception"]);

export function normalizeAftership(p: AftershipPayload): EventDraft {
  const m = p.msg;
  const newest = newestCheckpoint(m.checkpoints);
  const tag = str(m.tag);
  return {
    type: aftershipEventType(p.event),
    occurred_at: aftershipOccurredAt(newest?.checkpoint_time, p.ts),
    tracking_number: str(m.tracking_number),
    carrier_reference: str(m.id),
    status: aftershipStatus(tag, m.subtag),
    carrier_status: tag,
    reason: tag !== null && FAILURE_TAGS.has(tag) ? str(m.subtag_message) : null,
    data: {
      event: p.event,
      // The carrier AfterShip tracked (its courier code), since the route is AfterShip's for all of them.
      slug: str(m.slug),
      subtag: str(m.subtag),
      subtag_message: str(m.subtag_message),
      first_tag: p.is_tracking_first_tag ?? null,
      sent_at: new Date(p.ts * 1000).toISOString(),
      tracking_url: str(m.courier_tracking_link),
      signed_by: str(m.signed_by),
      destination_country: str(m.destination_country_region) ?? str(m.destination_country_iso3),
      estimated_delivery: estimatedDelivery(m),
      checkpoint: newest && checkpointData(newest),
    },
  };
}

/** AfterShip's event id (a UUID v4), the same on every retry of one webhook event. */
export function aftershipEventKey(p: AftershipPayload): string {
  return p.event_id;
}

/**
 * The latest estimated delivery in either shape: dated versions (and newer legacy bodies) carry
 * `latest_estimated_delivery`, older legacy bodies only `expected_delivery`. Dates stay as AfterShip
 * wrote them (the recipient's local date, often without a time).
 */
function estimatedDelivery(m: AftershipPayload["msg"]): Record<string, string | null> | null {
  const latest = m.latest_estimated_delivery;
  if (typeof latest === "object" && latest !== null) {
    const e = latest as Record<string, unknown>;
    return {
      datetime: str(e.datetime),
      datetime_min: str(e.datetime_min),
      datetime_max: str(e.datetime_max),
      source: str(e.source),
      revise_reason: str(e.revise_reason),
    };
  }
  const expected = str(m.expected_delivery);
  return expected === null
    ? null
    : { datetime: expected, datetime_min: null, datetime_max: null, source: null, revise_reason: null };
}

/** The newest checkpoint, with the names that changed between webhook versions read under both. */
function checkpointData(c: AftershipCheckpoint): Record<string, string | null> {
  return {
    time: str(c.checkpoint_time),
    tag: str(c.tag),
    subtag: str(c.subtag),
    message: str(c.message),
    location: str(c.location),
    city: str(c.city),
    state: str(c.state),
    // `zip` until 2026-01, `postal_code` since.
    postal_code: str(c.postal_code) ?? str(c.zip),
    // Legacy `country_iso3`, dated `country_region` (both ISO alpha-3).
    country: str(c.country_region) ?? str(c.country_iso3),
  };
}

/** A non-empty string, else null: AfterShip sends `""` and null alike for "none". */
function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
