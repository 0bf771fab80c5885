import type { CanonicalStatus } from "../../events/normalized-event";

// carriers-next.md section 8 (ShipEngine / ShipStation v2).
const BY_STATUS_CODE: Record<string, CanonicalStatus> = {
  NY: "pending",
  AC: "picked_up",
  IT: "in_transit",
  SP: "ready_for_pickup",
  DE: "delivered",
  AT: "delivery_failed",
  EX: "on_hold",
  UN: "unknown",
};

const DETAIL_GROUPS: [CanonicalStatus, string[]][] = [
  [
    "pending",
    [
      "AWAITING_DESPATCH",
      "COLLECTION_REQUESTED",
      "ELEC_ADVICE_RECD_BY_CARRIER",
      "NOT_YET_RECEIVED_BY_CARRIER",
      "AWAITING_ELECTRONIC_ADVICE",
    ],
  ],
  ["picked_up", ["COLLECTION_MADE", "RECEIVED_BY_CARRIER", "RECD_BY_CARRIER_NO_ELEC_ADVICE"]],
  [
    "in_transit",
    [
      "DESPATCHED",
      "IN_TRANSIT",
      "HUB_SCAN_OUT",
      "RECEIVED_LOCAL_DELIVERY_DEPOT",
      "SUB_CONTRACTOR_RECEIVED",
      "CUSTOMS_PROCESSING",
      "CUSTOMS_CLEARED",
    ],
  ],
  ["out_for_delivery", ["OUT_FOR_DELIVERY"]],
  [
    "ready_for_pickup",
    [
      "AWAITING_COLLECTION_FROM_PICKUP_POINT",
      "COLLECT_AT_LOCAL_PO",
      "CUSTOMER_TO_COLLECT_FROM_CARRIER",
      "DELIVERED_TO_LOCKER_COLLECTION_POINT",
    ],
  ],
  [
    "delivered",
    [
      "DELIVERED",
      "DELIVERED_DAMAGED",
      "DELIVERED_IN_PART",
      "DELIVERED_SPECIFIED_SAFE_PLACE",
      "DELIVERED_TO_ALTERNATIVE_DELIVERY_LOCATION",
      "DELIVERED_TO_NEIGHBOUR",
      "DELIVERED_TO_PO_BOX",
      "PARCEL_COLLECTED_FROM_PICKUP_POINT",
      "PROOF_OF_DELIVERY",
      "POST_TRANSIT_STATUS",
    ],
  ],
  [
    "delivery_failed",
    [
      "ATTEMPTED_DELIVERY",
      "ATTEMPTED_DELIVERY_2ND",
      "ATTEMPTED_DELIVERY_3RD",
      "CUSTOMER_CARDED",
      "COD_AMOUNT_NOT_PAID",
      "CUSTOMER_IDENTIFICATION_FAILED",
      "INVALID_METHOD_OF_PAYMENT",
      "NO_ACCESS_TO_RECIPIENTS_ADDRESS",
      "COLLECTION_FAILED",
      "NOT_DELIVERED_ADDRESSEE_DECEASED",
      "PARCEL_LOST",
      "PARCEL_DISPOSED",
    ],
  ],
  ["delivery_delayed", ["CARRIER_DELAYS", "DELAYED_NOT_CARRIER", "MISSORTED", "ROUTING_ERROR"]],
  [
    "on_hold",
    [
      "HELD_BY_CARRIER",
      "HELD_BY_CARRIER_FOR_CLEARANCE_PRE_PROCESSING",
      "HELD_BY_CUSTOMS",
      "HELD_BY_EXPORT_CUSTOMS",
      "HELD_BY_IMPORT_CUSTOMS",
      "INCORRECT_DECLARATION",
      "ADDRESS_QUERY",
    ],
  ],
  [
    "return_to_sender",
    [
      "RETURN_TO_SENDER",
      "CUSTOMER_MOVED",
      "HAZARDOUS_PROHIBITED",
      "NOT_COLLECTED_FROM_PICKUP_POINT",
      "NOT_DELIVERED",
      "PARCEL_DAMAGED",
      "PARCEL_OUTSIDE_OF_SERVICE_CAPABILITY",
      "REFUSED_BY_CUSTOMER",
    ],
  ],
  ["cancelled", ["CANCELLED", "CANCELLED_BEFORE_DESPATCH"]],
];

const BY_DETAIL_CODE = new Map<string, CanonicalStatus>(
  DETAIL_GROUPS.flatMap(([status, codes]) => codes.map((c) => [c, status] as const)),
);

/**
 * `status_detail_code` when it is listed, else `status_code` (case-insensitive: ShipEngine's JSON
 * schema spells them in lower case). Detail codes that carry no status (`INFORMATION`,
 * `CARRIER_STATUS_NOT_MAPPED`, ...) fall back to `status_code`; anything unlisted is `unknown`.
 */
export function shipengineStatus(statusCode: string, detailCode: string | null | undefined): CanonicalStatus {
  const detail = detailCode ? BY_DETAIL_CODE.get(detailCode.toUpperCase()) : undefined;
  if (detail) return detail;
  const code = statusCode.toUpperCase();
  return Object.hasOwn(BY_STATUS_CODE, code) ? (BY_STATUS_CODE[code] as CanonicalStatus) : "unknown";
}
