import type { CanonicalStatus } from "../../events/normalized-event";

/** `null`: SHIPMENT_DETAILS_UPDATED changes no status (the shipment keeps its current one). */
type PeddlerCanonical = CanonicalStatus | null;

const BY_CODE: Record<number, PeddlerCanonical> = {
  100: "pending",
  200: "in_transit",
  210: "in_transit",
  300: "in_transit",
  310: "in_transit",
  400: "in_transit",
  410: "out_for_delivery",
  500: "delivered",
  501: "delivered",
  502: "delivered",
  550: "ready_for_pickup",
  570: "delivered",
  700: "on_hold",
  800: "on_hold",
  900: "return_to_sender",
  1000: "cancelled",
  1100: null,
};

const BY_NAME: Record<string, PeddlerCanonical> = {
  SHIPMENT_CONFIRMED: "pending",
  SHIPMENT_ENROUTE_TO_WAREHOUSE: "in_transit",
  SHIPMENT_IN_WAREHOUSE: "in_transit",
  SHIPMENT_ENROUTE_TO_LOCAL_DEPOT: "in_transit",
  SHIPMENT_IN_LOCAL_DEPOT: "in_transit",
  SHIPMENT_READY: "in_transit",
  OUT_FOR_DELIVERY: "out_for_delivery",
  DELIVERED: "delivered",
  DELIVERED_COLLECTION_POINT: "ready_for_pickup",
  PICKUP_COLLECTION_POINT: "delivered",
  FAILED_ATTEMPT: "delivery_failed",
  ON_HOLD: "on_hold",
  EXCEPTION: "on_hold",
  RETURN_TO_SENDER: "return_to_sender",
  CANCELED: "cancelled",
  CANCELLED: "cancelled",
  SHIPMENT_DETAILS_UPDATED: null,
};

/** The code decides (600-619 are all failed attempts); an unlisted code falls back to the status name. */
export function peddlerStatus(code: number, status: string): PeddlerCanonical {
  if (Object.hasOwn(BY_CODE, code)) return BY_CODE[code] as PeddlerCanonical;
  if (code >= 600 && code <= 619) return "delivery_failed";
  if (Object.hasOwn(BY_NAME, status)) return BY_NAME[status] as PeddlerCanonical;
  return "unknown";
}
