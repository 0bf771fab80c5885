import { env } from "cloudflare:workers";
import type { EventRow } from "../../src/db/row-to-event";

/** An `events` row as D1 holds it (docs/schema.md): the event's columns and the receiver's own. */
export interface StoredEvent extends EventRow {
  seq: number;
  dedupe_key: string;
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
export function storedEvent(id: string): Promise<StoredEvent | null> {
  return env.DB.prepare("SELECT * FROM events WHERE id = ?").bind(id).first<StoredEvent>();
}
