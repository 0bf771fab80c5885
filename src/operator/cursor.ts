/** Where a page ended: the last row's position in the list order (a time, then a unique key). */
export interface Cursor {
  at: string;
  key: string;
}

// Opaque to clients: base64url of "time|key". Keyset paging on immutable columns, so rows
// inserted between two calls never shift a page (no duplicates, no gaps).
function encodeCursor(c: { at: string; key: string | number }): string {
  const bytes = new TextEncoder().encode(`${c.at}|${c.key}`);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** `keyPattern` says what this list's key looks like (events: seq digits; quarantine: dlv_ ids). */
export function decodeCursor(s: string, keyPattern: RegExp): Cursor | null {
  let text: string;
  try {
    const binary = atob(s.replaceAll("-", "+").replaceAll("_", "/"));
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (ch) => ch.charCodeAt(0)),
    );
  } catch {
    return null;
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(.{1,300})$/.exec(text);
  // A time that is not a date (month 13) is refused here: the shipments list turns it into milliseconds.
  if (!m || !keyPattern.test(m[2] as string) || Number.isNaN(Date.parse(m[1] as string))) return null;
  return { at: m[1] as string, key: m[2] as string };
}

export const EVENT_KEY = /^\d{1,15}$/;
export const QUARANTINE_KEY = /^dlv_[0-9A-Z]{26}$/;
/** Shipments: the row's rowid (migrations/0011). */
export const SHIPMENT_KEY = /^\d{1,15}$/;

/** The cursor after a page's last row (ordered by `received_at`, then `key`), or null on the last page. */
export function nextCursor<R extends { received_at: string }>(
  page: { rows: R[]; more: boolean },
  key: (row: R) => string | number,
): string | null {
  return pageCursor(page, (r) => ({ at: r.received_at, key: key(r) }));
}

/** The cursor after a page's last row, for a list ordered by any time column, or null on the last page. */
export function pageCursor<R>(
  page: { rows: R[]; more: boolean },
  position: (row: R) => { at: string; key: string | number },
): string | null {
  const last = page.rows[page.rows.length - 1];
  return page.more && last ? encodeCursor(position(last)) : null;
}
/** The audit log: the row's seq. */
export const AUDIT_KEY = /^\d{1,15}$/;
