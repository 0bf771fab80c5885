// Node only (npm run simulate, load, faults): never imported by index.ts, so nothing here reaches the
// Worker's bundle.
import { createHash } from "node:crypto";
import { localIso, wholeSecond } from "../../../scripts/simulate/carrier-time";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

const PATH = "/webhooks/17track";
const SETTING = "TRACK17_SECURITY_KEY";

type Step = readonly [status: string, subStatus: string, description: string];
type Courier = readonly [code: number, prefix: string, location: string, offsetMinutes: number];

const COURIERS: readonly Courier[] = [
  [3011, "RR", "WARSZAWA", 60],
  [100003, "00", "Hamburg, DE", 60],
  [7041, "LX", "NEW YORK, NY", -300],
  [3161, "CP", "KRAKOW", 60],
];

const INFO: Step = ["InfoReceived", "InfoReceived", "Electronic information received"];
const PICKED: Step = ["InTransit", "InTransit_PickedUp", "Picked up"];
const ARRIVED: Step = ["InTransit", "InTransit_Arrival", "Arrived at the sorting centre"];
const LEFT: Step = ["InTransit", "InTransit_Departure", "Departed the sorting centre"];
const OUT: Step = ["OutForDelivery", "OutForDelivery_Other", "Out for delivery"];
const DONE: Step = ["Delivered", "Delivered_Other", "Delivered"];

// Journeys along carriers-next.md 3.2's statuses and sub-statuses.
const JOURNEYS: readonly (readonly Step[])[] = [
  [INFO, PICKED, ARRIVED, LEFT, OUT, DONE],
  [INFO, PICKED, ARRIVED, OUT, ["DeliveryFailure", "DeliveryFailure_NoBody", "Recipient absent"], OUT, DONE],
  [
    INFO,
    PICKED,
    ["InTransit", "InTransit_CustomsProcessing", "Customs clearance"],
    ["Exception", "Exception_Delayed", "Delayed at customs"],
    OUT,
    DONE,
  ],
  [INFO, PICKED, ARRIVED, ["AvailableForPickup", "AvailableForPickup_Other", "Ready at the pickup point"], DONE],
  [
    INFO,
    PICKED,
    ["Exception", "Exception_Returning", "Returning to sender"],
    ["Exception", "Exception_Returned", "Returned to sender"],
  ],
];

function sign(body: string, key: string): string {
  return createHash("sha256").update(`${body}/${key}`).digest("hex");
}

export const simulate: CarrierSim = {
  story(rng, run, n, start) {
    const [code, prefix, location, offset] = rng.pick(COURIERS);
    const number = `${prefix}${rng.digits(9)}${prefix === "00" ? rng.digits(9) : "PL"}`;
    const tag = `${run}-${n}`;
    const events: CarrierEvent[] = [];
    let at = wholeSecond(start);
    for (const [status, subStatus, description] of rng.pick(JOURNEYS)) {
      at = new Date(at.getTime() + rng.int(10, 600) * 60_000);
      const latestEvent = {
        time_iso: localIso(at, offset),
        time_utc: `${at.toISOString().slice(0, 19)}Z`,
        description,
        location,
        stage: status,
        sub_status: subStatus,
      };
      events.push({
        carrier: "17track",
        label: subStatus,
        payload: {
          event: "TRACKING_UPDATED",
          data: {
            number,
            carrier: code,
            param: null,
            tag,
            track_info: {
              latest_status: { status, sub_status: subStatus, sub_status_descr: null },
              latest_event: latestEvent,
            },
          },
        },
        occurredAt: at,
        trackingNumber: number,
      });
    }
    return events;
  },

  sign(body, settings) {
    return {
      method: "POST",
      path: PATH,
      headers: { "content-type": "application/json", sign: sign(body, settings[SETTING] ?? "") },
      body,
    };
  },

  bad(rng, _run, settings) {
    const key = settings[SETTING] ?? "";
    const body = JSON.stringify({
      event: "TRACKING_UPDATED",
      data: { number: `RR${rng.digits(9)}PL`, carrier: 3011, tag: null },
    });
    const post = (label: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: PATH,
      headers: { "content-type": "application/json", ...headers },
      body: b,
      expectStatus,
    });
    const hmac = createHash("sha256").update(`${key}/${body}`).digest("hex");
    const noNumber = JSON.stringify({ event: "TRACKING_UPDATED", data: { carrier: 3011 } });
    return [
      post("missing sign", {}, body, 401),
      post("sign with another key", { sign: sign(body, `${key}x`) }, body, 401),
      post("sign in capitals", { sign: sign(body, key).toUpperCase() }, body, 401),
      post("key and body the other way round", { sign: hmac }, body, 401),
      post("malformed JSON", { sign: sign('{"event": ', key) }, '{"event": ', 400),
      post("no tracking number", { sign: sign(noNumber, key) }, noNumber, 422),
    ];
  },
};
