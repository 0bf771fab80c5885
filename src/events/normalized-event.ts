import type { CarrierName } from "../carriers";

// The carrier union comes from the registry (src/carriers): a type-only import, so no runtime cycle.
export type { CarrierName };

/** karrio's twelve tracker states: see ../shared/carriers.md "Canonical status". */
export const CANONICAL_STATUSES = [
  "pending",
  "picked_up",
  "in_transit",
  "out_for_delivery",
  "ready_for_pickup",
  "delivered",
  "delivery_failed",
  "delivery_delayed",
  "on_hold",
  "return_to_sender",
  "cancelled",
  "unknown",
] as const;
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

export const EVENT_TYPES = [
  "shipment.status_changed",
  "shipment.offers_prepared",
  "order.status_changed",
  "stock.status_changed",
  "label.created",
  "label.cancelled",
  "rates.calculated",
  "manifest.created",
  "bulk_download.created",
  "unknown",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export { DELIVERY_STATES, type DeliveryState } from "../delivery/delivery-state";

/** What the queue carries and what FORWARD_URL receives. */
export interface NormalizedEvent {
  id: string;
  carrier: CarrierName;
  type: EventType;
  occurred_at: string;
  received_at: string;
  tracking_number: string | null;
  carrier_reference: string | null;
  status: CanonicalStatus | null;
  carrier_status: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/**
 * What a carrier's normalizer returns: the event minus what the receiver fixes itself.
 * `occurred_at` null: the payload carries no usable time of its own (a sender that states none, or
 * only times without a zone), so the event takes its time of receipt; normalizers stay pure.
 */
export type EventDraft = Omit<NormalizedEvent, "id" | "carrier" | "received_at" | "occurred_at"> & {
  occurred_at: string | null;
};
