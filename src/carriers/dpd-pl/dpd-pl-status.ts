import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-next.md 8, "DPD Polska" (from third-party clients; DPD's own code catalogue, an xlsx,
// was not found). Exact codes first, then ranges, then six-digit prefixes (`320xxx`).
const EXACT: Record<string, CanonicalStatus> = {
  "030103": "pending",
  "040101": "picked_up",
  "040102": "picked_up",
  "500500": "picked_up",
  "050101": "in_transit",
  "050102": "in_transit",
  "120100": "in_transit",
  "120101": "in_transit",
  "160101": "in_transit",
  "160103": "in_transit",
  "230101": "in_transit",
  // Redirected: the new waybill is in eventDataList[].value (kept in `data`).
  "230402": "in_transit",
  "170101": "out_for_delivery",
  "170102": "out_for_delivery",
  "170501": "out_for_delivery",
  "190202": "delivered",
  "190203": "delivered",
  "190204": "delivered",
  "501300": "delivered",
  "501304": "delivered",
  "501340": "delivered",
  "600103": "delivered",
  "600104": "delivered",
  "701901": "delivered",
  "701902": "delivered",
  "230309": "delivery_failed",
  "230403": "return_to_sender",
  "230408": "return_to_sender",
};

const RANGES: readonly [from: number, to: number, status: CanonicalStatus][] = [
  // Failed pickup or reception: the parcel has not left the sender.
  [40200, 40605, "pending"],
  [160501, 160503, "in_transit"],
  [190101, 190104, "delivered"],
  [511901, 511903, "delivered"],
  [500100, 500299, "in_transit"],
];

const PREFIXES: Record<string, CanonicalStatus> = {
  "320": "in_transit",
  "330": "in_transit",
  "450": "in_transit",
  "200": "delivery_failed",
};

/** The canonical status of a DPD `businessCode`; `unknown` for any code not in the table. */
export function dpdPlStatus(code: string): CanonicalStatus {
  const exact = EXACT[code];
  if (exact) return exact;
  if (!/^\d{6}$/.test(code)) return "unknown";
  const n = Number(code);
  for (const [from, to, status] of RANGES) if (n >= from && n <= to) return status;
  return PREFIXES[code.slice(0, 3)] ?? "unknown";
}
