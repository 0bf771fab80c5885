import type { Rng } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

// [code, status] along real journeys (carriers.md, Peddler's status codes).
const JOURNEYS: readonly (readonly (readonly [number, string])[])[] = [
  [
    [100, "SHIPMENT_CONFIRMED"],
    [200, "SHIPMENT_ENROUTE_TO_WAREHOUSE"],
    [210, "SHIPMENT_IN_WAREHOUSE"],
    [300, "SHIPMENT_ENROUTE_TO_LOCAL_DEPOT"],
    [310, "SHIPMENT_IN_LOCAL_DEPOT"],
    [400, "SHIPMENT_READY"],
    [410, "OUT_FOR_DELIVERY"],
    [500, "DELIVERED"],
  ],
  [
    [100, "SHIPMENT_CONFIRMED"],
    [210, "SHIPMENT_IN_WAREHOUSE"],
    [410, "OUT_FOR_DELIVERY"],
    [601, "FAILED_ATTEMPT"],
    [1100, "SHIPMENT_DETAILS_UPDATED"],
    [410, "OUT_FOR_DELIVERY"],
    [501, "DELIVERED"],
  ],
  [
    [100, "SHIPMENT_CONFIRMED"],
    [310, "SHIPMENT_IN_LOCAL_DEPOT"],
    [410, "OUT_FOR_DELIVERY"],
    [604, "FAILED_ATTEMPT"],
    [550, "DELIVERED_COLLECTION_POINT"],
    [570, "PICKUP_COLLECTION_POINT"],
  ],
  [
    [100, "SHIPMENT_CONFIRMED"],
    [200, "SHIPMENT_ENROUTE_TO_WAREHOUSE"],
    [800, "EXCEPTION"],
    [700, "ON_HOLD"],
    [900, "RETURN_TO_SENDER"],
  ],
  [
    [100, "SHIPMENT_CONFIRMED"],
    [1000, "CANCELED"],
  ],
  [
    [100, "SHIPMENT_CONFIRMED"],
    [410, "OUT_FOR_DELIVERY"],
    [502, "DELIVERED"],
  ],
];

const FAILED: Record<number, string> = {
  601: "CUSTOMER_NOT_PRESENT_NO_NEIGHBOURS",
  604: "ADDRESS_NOT_FOUND",
};

function shipmentId(rng: Rng): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  return Array.from({ length: 21 }, () => rng.pick([...chars])).join("");
}

/** Node-only: what `npm run simulate`, load, faults and the bench send as this carrier. */
export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    const id = shipmentId(rng);
    const tracking = `P${rng.digits(18)}`;
    const metaData = `${rng.digits(8)}-${rng.int(1, 9)}`;
    let at = start;
    const events: CarrierEvent[] = [];
    for (const [code, status] of rng.pick(JOURNEYS)) {
      const delivered = code === 410 || (code >= 500 && code < 600);
      const payload: Record<string, unknown> = {
        id,
        carrierTrackingNumber: tracking,
        metaData,
        status,
        location: delivered ? { lat: 52.3 + rng.next() / 10, lng: 4.8 + rng.next() / 10 } : null,
        ts: at.toISOString(),
        trackingUrl: `https://t.pdlr.nl/${tracking}/`,
        code,
      };
      if (FAILED[code]) {
        payload.failedStatus = FAILED[code];
        payload.details = {
          lang: {
            en: { headline: "Delivery attempt failed", description: "Delivery attempt failed at destination" },
            nl: { headline: "Afleverpoging mislukt", description: "Afleverpoging mislukt op bestemming" },
          },
          courierName: "Peddler",
          reason: "Customer not answering; no neighbours available",
        };
      }
      events.push({
        carrier: "peddler",
        label: `${code}:${status}`,
        payload,
        occurredAt: at,
        trackingNumber: tracking,
      });
      at = new Date(at.getTime() + rng.int(60_000, 7_200_000));
    }
    return events;
  },
  sign(body, settings) {
    return {
      method: "POST",
      path: "/webhooks/peddler",
      headers: { "content-type": "application/json", "x-webhook-shared-token": settings.PEDDLER_WEBHOOK_TOKEN ?? "" },
      body,
    };
  },
  bad(rng, _run, settings) {
    const good = {
      id: shipmentId(rng),
      carrierTrackingNumber: `P${rng.digits(18)}`,
      status: "DELIVERED",
      ts: new Date().toISOString(),
      code: 500,
    };
    const post = (label: string, headers: Record<string, string>, body: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: "/webhooks/peddler",
      headers: { "content-type": "application/json", ...headers },
      body,
      expectStatus,
    });
    const token = { "x-webhook-shared-token": settings.PEDDLER_WEBHOOK_TOKEN ?? "" };
    return [
      post(
        "wrong token",
        { "x-webhook-shared-token": `${settings.PEDDLER_WEBHOOK_TOKEN ?? ""}x` },
        JSON.stringify(good),
        401,
      ),
      post("missing token", {}, JSON.stringify(good), 401),
      // The docs insist the code is an integer, not a string.
      post("code as a string", token, JSON.stringify({ ...good, code: "500" }), 422),
      post("malformed JSON", token, '{"id": ', 400),
    ];
  },
};
