import { wholeSecond } from "../../../scripts/simulate/carrier-time";
import type { Rng } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim, SignedRequest } from "../../../scripts/simulate/types";

/** InPost's `event_ts`: local time with its offset, `2020-03-20 15:08:06 +0100`. */
function inpostTime(at: Date, offsetMinutes: number): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const off = Math.abs(offsetMinutes);
  return (
    `${local.getUTCFullYear()}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())} ` +
    `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} ` +
    `${sign}${p(Math.floor(off / 60))}${p(off % 60)}`
  );
}

// Journeys through InPost's own status names (carriers.md); the last one ends in a status InPost
// may add later, which the receiver must store as `unknown`, never reject.
const JOURNEYS: readonly (readonly string[])[] = [
  [
    "taken_by_courier",
    "adopted_at_source_branch",
    "sent_from_source_branch",
    "adopted_at_sorting_center",
    "out_for_delivery",
    "delivered",
  ],
  [
    "dispatched_by_sender_to_pok",
    "taken_by_courier_from_pok",
    "adopted_at_target_branch",
    "ready_to_pickup",
    "pickup_reminder_sent",
    "delivered",
  ],
  [
    "collected_from_sender",
    "adopted_at_sorting_center",
    "delay_in_delivery",
    "out_for_delivery_to_address",
    "undelivered_unknown_receiver",
    "returned_to_sender",
  ],
  [
    "dispatched_by_sender",
    "sent_from_sorting_center",
    "stack_in_box_machine",
    "stack_parcel_in_box_machine_pickup_time_expired",
    "returned_to_sender",
  ],
  ["confirmed", "canceled"],
  ["taken_by_courier", "adopted_at_sorting_center", "parcel_teleported_to_moon"],
];

/** The source range InPost sends from; local `wrangler dev` passes a client's CF-Connecting-IP through. */
function inpostAddress(rng: Rng): string {
  return `91.216.25.${rng.int(1, 254)}`;
}

function envelope(rng: Rng, event: string, at: Date, offset: number, payload: Record<string, unknown>) {
  const body: Record<string, unknown> = {
    event_ts: inpostTime(at, offset),
    event,
    organization_id: rng.int(1, 90_000),
    payload,
  };
  // Older pages show `created_by_id: null` at the top level.
  if (rng.chance(0.2)) body.created_by_id = null;
  return body;
}

/** Node-only: what `npm run simulate`, load, faults and the bench send as this carrier. */
export const simulate: CarrierSim = {
  story(rng, _run, n, start) {
    const shipmentId = 10_000_000 + n;
    const tracking = rng.digits(24);
    // Poland is UTC+1 in winter and UTC+2 in summer; InPost sends local time with the offset.
    const offset = rng.pick([60, 120]);
    const events: CarrierEvent[] = [];
    let at = wholeSecond(start);
    const push = (event: string, label: string, payload: Record<string, unknown>) => {
      events.push({
        carrier: "inpost",
        label,
        payload: envelope(rng, event, at, offset, payload),
        occurredAt: at,
        trackingNumber: (payload.tracking_number as string | null) ?? null,
      });
      at = new Date(at.getTime() + rng.int(60, 7200) * 1000);
    };
    push("offers_prepared", "offers_prepared", {
      shipment_id: shipmentId,
      tracking_number: tracking,
      offers: [
        {
          id: rng.int(1, 1e6),
          status: "available",
          expires_at: new Date(at.getTime() + 86_400_000).toISOString(),
          rate: rng.int(999, 2999) / 100,
          currency: "PLN",
          additional_services: [],
          carrier: { id: "inpost_locker", name: "InPost Paczkomaty", description: "Paczkomat InPost" },
          service: { id: "inpost_locker_standard", name: "Paczkomat standard", description: "Przesyłka paczkomatowa" },
        },
      ],
    });
    push("shipment_confirmed", "shipment_confirmed", { shipment_id: shipmentId, tracking_number: tracking });
    for (const status of rng.pick(JOURNEYS)) {
      const payload: Record<string, unknown> = { shipment_id: shipmentId, status, tracking_number: tracking };
      if (status === "returned_to_sender") payload.return_tracking_number = rng.digits(24);
      push("shipment_status_changed", `shipment_status_changed:${status}`, payload);
    }
    return events;
  },
  sign(body, _settings, rng): SignedRequest {
    return {
      method: "POST",
      path: "/webhooks/inpost",
      headers: { "content-type": "application/json", "cf-connecting-ip": inpostAddress(rng) },
      body,
    };
  },
  bad(rng, _run, _settings) {
    const body = JSON.stringify(
      envelope(rng, "shipment_status_changed", new Date(), 60, {
        shipment_id: rng.int(1, 1e6),
        status: "delivered",
        tracking_number: rng.digits(24),
      }),
    );
    const post = (label: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: "/webhooks/inpost",
      headers: { "content-type": "application/json", ...headers },
      body: b,
      expectStatus,
    });
    return [
      post("outside the allowed range", { "cf-connecting-ip": "203.0.113.7" }, body, 403),
      // Only CF-Connecting-IP names the client: an allowed address in another header changes nothing.
      post(
        "spoofed X-Forwarded-For",
        { "cf-connecting-ip": "198.51.100.9", "x-forwarded-for": inpostAddress(rng) },
        body,
        403,
      ),
      post("spoofed X-Real-IP", { "cf-connecting-ip": "198.51.100.10", "x-real-ip": inpostAddress(rng) }, body, 403),
      post("malformed JSON", { "cf-connecting-ip": inpostAddress(rng) }, `${body.slice(0, -3)}`, 400),
      post(
        "not an InPost event",
        { "cf-connecting-ip": inpostAddress(rng) },
        JSON.stringify({ event: 42, payload: "x" }),
        422,
      ),
    ];
  },
};
