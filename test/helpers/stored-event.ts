import { env } from "cloudflare:workers";

/** An `events` row as D1 holds it (docs/schema.md). */
export interface StoredEvent {
  seq: number;
  id: string;
  carrier: string;
  dedupe_key: string;
  type: string;
  occurred_at: string;
  received_at: string;
  tracking_number: string | null;
  carrier_reference: string | null;
  status: string | null;
  carrier_status: string | null;
  reason: string | null;
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
export function storedEvent(id: string): Promise<StoredEvent | null> {
  return env.DB.prepare("SELECT * FROM events WHERE id = ?").bind(id).first<StoredEvent>();
}
