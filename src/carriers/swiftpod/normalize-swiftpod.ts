import type { EventDraft } from "../../events/normalized-event";
import type { SwiftpodPayload } from "./swiftpod-payload-schema";
import { swiftpodOrderStatus, swiftpodTrackingStatus } from "./swiftpod-status";

export function normalizeSwiftpod(p: SwiftpodPayload): EventDraft {
  const { event, data } = p;
  // Data objects are written out whole in each branch: spreading a shared one cost more than the rest.
  switch (event.name) {
    case "order_notify": {
      const carrierStatus = event.status as string;
      const status = swiftpodOrderStatus(carrierStatus);
      return {
        type: "order.status_changed",
        occurred_at: event.timestamp,
        tracking_number: firstTrackingNumber(data.trackings),
        carrier_reference: data.order_id ?? null,
        status,
        carrier_status: carrierStatus,
        reason: status === "cancelled" ? (data.rejected_status ?? null) : null,
        data: {
          id: data.id ?? null,
          test_order: data.test_order ?? null,
          order_status: data.status ?? null,
          rejected_status: data.rejected_status ?? null,
          shipping_method: data.shipping_method ?? null,
        },
      };
    }
    case "shipment_notify": {
      const tracking = event.tracking;
      return {
        type: "shipment.status_changed",
        occurred_at: event.timestamp,
        tracking_number: tracking?.tracking_number ?? null,
        carrier_reference: data.order_id ?? null,
        status: swiftpodTrackingStatus(tracking?.tracking_status),
        // No tracking status is the "tracking number assigned" notice: the event name is the carrier's value.
        carrier_status: tracking?.tracking_status || event.name,
        reason: null,
        data: {
          id: data.id ?? null,
          test_order: data.test_order ?? null,
          order_status: data.status ?? null,
          tracking_url: tracking?.tracking_url ?? null,
          carrier_code: tracking?.carrier_code ?? null,
          shipped_items: tracking?.shipped_items ?? [],
        },
      };
    }
    case "stock_notify":
      // A product's stock, not a shipment: no canonical status.
      return {
        type: "stock.status_changed",
        occurred_at: event.timestamp,
        tracking_number: null,
        carrier_reference: data.sku ?? null,
        status: null,
        carrier_status: data.status ?? null,
        reason: null,
        // valibot's output is a fresh object, so it can be the event's data as it is.
        data,
      };
    default:
      return {
        type: "unknown",
        occurred_at: event.timestamp,
        tracking_number: event.tracking?.tracking_number ?? null,
        carrier_reference: data.order_id ?? data.sku ?? null,
        status: null,
        carrier_status: event.status || event.tracking?.tracking_status || event.name,
        reason: null,
        data: { event: event.name, payload: data },
      };
  }
}

/**
 * SwiftPOD names every event with a UUID, and a retry repeats it. The event name goes with it because
 * SwiftPOD's own docs show one UUID on a shipment and on a stock example: a retry repeats both.
 */
export function swiftpodEventKey(p: SwiftpodPayload): string {
  return `${p.event.name}:${p.event.uuid}`;
}

/** The order's primary tracking number (SwiftPOD flags one), else its first; null before it ships. */
function firstTrackingNumber(trackings: SwiftpodPayload["data"]["trackings"]): string | null {
  const withNumber = (trackings ?? []).filter((t) => !!t.tracking_number);
  return (withNumber.find((t) => t.primary === true) ?? withNumber[0])?.tracking_number ?? null;
}
