import type { ShipmentRow } from "./response-schemas";

const COLUMNS = [
  "tracking_number",
  "carrier",
  "status",
  "carrier_status",
  "last_event_at",
  "last_event_id",
] as const satisfies readonly (keyof ShipmentRow)[];

/**
 * A cell per RFC 4180. A value a spreadsheet would run as a formula (starting with = + - @, tab or
 * CR; carriers' values are outside text) gets a leading apostrophe, as OWASP advises.
 */
function cell(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The shipments list as CSV: a header row, then one row per shipment, CRLF line ends. */
export function shipmentsCsv(rows: ShipmentRow[]): string {
  const lines = [COLUMNS.join(","), ...rows.map((row) => COLUMNS.map((c) => cell(row[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
