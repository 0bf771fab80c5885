import { encodeEventData, encodeRawBody } from "../../db/body-codec";
import type { NormalizedEvent } from "../../events/normalized-event";
import type { DeliveryState } from "../delivery-state";

/** A new event is on its way to the consumer, which creates its deliveries (the `match` transition). */
const INITIAL: DeliveryState = "queued";

export interface StoreEventInput {
  event: NormalizedEvent;
  dedupeKey: string;
  /**
   * The same identity as rows stored before keys were hashed hold it (src/events/dedupe-keys.ts):
   * a carrier's retry of an event stored before the upgrade is still a duplicate.
   */
  legacyDedupeKey?: string;
  rawBody: string;
  requestUrl: string;
}

export interface StoreEventResult {
  /** The stored event's id: ours when new, the first receipt's when a duplicate. */
  eventId: string;
  duplicate: boolean;
}

/**
 * The hot path's only D1 round trip: insert the event (`queued`, no deliveries yet: the consumer
 * matches it to its destinations), or on a
 * repeat of its identity count the duplicate and return the first receipt's id (SQLite's upsert
 * RETURNING gives the row either way). The raw body and `data` go in compactly
 * (src/db/body-codec.ts): CPU for D1 bytes. A repeat of an event stored under its legacy key
 * inserts nothing and returns no row; only then a second statement counts it on that row.
 */
export async function storeEvent(db: D1Database, input: StoreEventInput): Promise<StoreEventResult> {
  const e = input.event;
  const row = await db
    .prepare(
      `INSERT INTO events (id, carrier, dedupe_key, type, occurred_at, received_at, tracking_number,
         carrier_reference, status, carrier_status, reason, data, raw_body, request_url, state, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, '${INITIAL}', ?6
       WHERE NOT EXISTS (SELECT 1 FROM events WHERE dedupe_key = ?15)
       ON CONFLICT (dedupe_key) DO UPDATE SET duplicates = duplicates + 1
       RETURNING id`,
    )
    .bind(
      e.id,
      e.carrier,
      input.dedupeKey,
      e.type,
      e.occurred_at,
      e.received_at,
      e.tracking_number,
      e.carrier_reference,
      e.status,
      e.carrier_status,
      e.reason,
      encodeEventData(e.carrier, JSON.stringify(e.data), input.rawBody),
      encodeRawBody(e.carrier, input.rawBody),
      input.requestUrl,
      input.legacyDedupeKey ?? null,
    )
    .first<{ id: string }>();
  if (!row) return countLegacyDuplicate(db, input);
  return { eventId: row.id, duplicate: row.id !== e.id };
}

async function countLegacyDuplicate(db: D1Database, input: StoreEventInput): Promise<StoreEventResult> {
  const row = await db
    .prepare("UPDATE events SET duplicates = duplicates + 1 WHERE dedupe_key = ?1 RETURNING id")
    .bind(input.legacyDedupeKey ?? null)
    .first<{ id: string }>();
  if (!row) throw new Error("upsert returned no row");
  return { eventId: row.id, duplicate: true };
}
