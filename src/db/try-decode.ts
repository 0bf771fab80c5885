import type { NormalizedEvent } from "../events/normalized-event";
import { decodeRawBody, type StoredBody } from "./body-codec";
import { type EventRow, rowToEvent } from "./row-to-event";

/** What is left of a stored row that could not be decoded: which one, and why. */
export interface Undecodable {
  undecodable: true;
  id: string;
  error: string;
}

export const isUndecodable = (x: unknown): x is Undecodable =>
  typeof x === "object" && x !== null && (x as { undecodable?: unknown }).undecodable === true;

const why = (err: unknown) => String((err as Error)?.message ?? err).slice(0, 200);

/**
 * The event of a stored row, or an Undecodable marker when its `data` or raw body cannot be decoded
 * (a broken BLOB, an unknown format, JSON that does not parse). Never throws, so one bad row
 * cannot fail a page, a batch or a cron run that holds others.
 */
export function tryRowToEvent(row: EventRow): NormalizedEvent | Undecodable {
  try {
    return rowToEvent(row);
  } catch (err) {
    return { undecodable: true, id: row.id, error: why(err) };
  }
}

/** A stored raw body as received, or an Undecodable marker (see tryRowToEvent). */
export function tryDecodeRawBody(id: string, stored: StoredBody): string | Undecodable {
  try {
    return decodeRawBody(stored);
  } catch (err) {
    return { undecodable: true, id, error: why(err) };
  }
}

/**
 * A stored raw body as text for an operator to read: as received, or a line saying it could not be
 * decoded and why (an operator page shows it instead of failing).
 */
export function undecodableText(id: string, stored: StoredBody): string {
  const body = tryDecodeRawBody(id, stored);
  return isUndecodable(body) ? `[stored body could not be decoded: ${body.error}]` : body;
}
