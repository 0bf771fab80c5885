import { env } from "cloudflare:workers";
import { decodeEventData, decodeRawBody } from "../../src/db/body-codec";
import type { EventRow } from "../../src/db/row-to-event";

/** An `events` row as D1 holds it (docs/schema.md), with `data` and `raw_body` decoded to text. */
export interface StoredEvent extends Omit<EventRow, "data" | "raw_body"> {
  seq: number;
  dedupe_key: string;
  data: string;
  raw_body: string;
  request_url: string;
  state: string;
  duplicates: number;
  enqueue_failed_at: string | null;
  swept_at: string | null;
  seen_at: string | null;
  attempts: number;
  updated_at: string;
}

/** The stored row of an event, or null when D1 has none. */
export async function storedEvent(id: string): Promise<StoredEvent | null> {
  const row = await env.DB.prepare("SELECT * FROM events WHERE id = ?")
    .bind(id)
    .first<Omit<StoredEvent, "data" | "raw_body"> & EventRow>();
  return row && decodedEvent(row);
}

/** A row of `events` with its compact `data` and `raw_body` (src/db/body-codec.ts) as text. */
export function decodedEvent<T extends EventRow>(row: T): T & { data: string; raw_body: string } {
  return { ...row, data: decodeEventData(row.data, row.raw_body), raw_body: decodeRawBody(row.raw_body) };
}

export interface StoredQuarantine {
  id: string;
  carrier: string;
  request_url: string;
  raw_body: string;
  issues: string;
}

/** The quarantine row of a carrier whose raw body, decoded, is `raw` (or contains it, with `contains`). */
export async function quarantinedBody(
  carrier: string,
  raw: string,
  match: "equals" | "contains" = "equals",
): Promise<StoredQuarantine | null> {
  const { results } = await env.DB.prepare("SELECT * FROM quarantine WHERE carrier = ?1")
    .bind(carrier)
    .all<StoredQuarantine>();
  for (const row of results) {
    const body = decodeRawBody(row.raw_body);
    if (match === "equals" ? body === raw : body.includes(raw)) return { ...row, raw_body: body };
  }
  return null;
}
