import type { CanonicalStatus } from "../events/normalized-event";
import type { ShipmentFilter } from "../operator/query-schemas";

/** One table of a preset: a filter of the shipments list, and how to show it. */
export interface PresetSection {
  title: string;
  filter: ShipmentFilter;
  /** Show how long each parcel has waited since its last carrier event. */
  waited?: boolean;
}

export interface Preset {
  name: string;
  label: string;
  sections: (now: Date) => PresetSection[];
}

const PROBLEMS: CanonicalStatus[] = ["delivery_failed", "on_hold", "return_to_sender", "delivery_delayed"];
export const QUIET_HOURS = 72;

/** Midnight UTC of `now`'s day. */
export function startOfDay(now: Date): string {
  return `${now.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

/** The Shipments page's presets: the questions a shop asks every morning. */
export const PRESETS: Preset[] = [
  {
    name: "attention",
    label: "Needs attention",
    sections: () => [
      { title: `Problems: ${PROBLEMS.join(", ")}`, filter: { status: PROBLEMS }, waited: true },
      {
        title: `Quiet for ${QUIET_HOURS} h (not delivered or cancelled)`,
        filter: { quiet_for_hours: QUIET_HOURS },
        waited: true,
      },
    ],
  },
  {
    name: "pickup",
    label: "Awaiting pickup",
    sections: () => [{ title: "Ready for pickup", filter: { status: ["ready_for_pickup"] }, waited: true }],
  },
  {
    name: "delivered_today",
    label: "Delivered today",
    sections: (now) => [
      { title: "Delivered today (UTC)", filter: { status: ["delivered"], updated_since: startOfDay(now) } },
    ],
  },
];

/** A filter as the list's query string (what the API and the custom view take). */
export function filterQuery(filter: ShipmentFilter): Record<string, string> {
  const q: Record<string, string> = {};
  if (filter.carrier) q.carrier = filter.carrier;
  if (filter.status) q.status = filter.status.join(",");
  if (filter.quiet_for_hours !== undefined) q.quiet_for_hours = String(filter.quiet_for_hours);
  if (filter.updated_since) q.updated_since = filter.updated_since;
  return q;
}
