import type { Rng } from "./rng";

export type CarrierName = "inpost" | "swiftpod" | "postmen" | "peddler";
export const CARRIER_NAMES: readonly CarrierName[] = ["inpost", "swiftpod", "postmen", "peddler"];

/** The receiver's secrets as a carrier would present them (the newest value of a rotation list). */
export interface Secrets {
  swiftpod: string;
  postmen: string;
  postmenHmac: string | null;
  peddler: string;
}

/** One carrier event as the carrier would send it. */
export interface CarrierEvent {
  carrier: CarrierName;
  /** The carrier's event name (and status), for the summary. */
  label: string;
  payload: unknown;
  /** The carrier's own time of the event (what becomes `occurred_at`). */
  occurredAt: Date;
  /** The tracking number the event names, where it names one. */
  trackingNumber: string | null;
}

export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Delivery extends SignedRequest {
  carrier: CarrierName | "other";
  kind: "valid" | "retry" | "bad";
  label: string;
  /** Valid and retry: the distinct event's number; a retry repeats its original's bytes exactly. */
  eventNo?: number;
  event?: CarrierEvent;
  /** Bad: the answer the contract promises. */
  expectStatus?: number;
}

/** Everything one carrier contributes to the simulator. */
export interface CarrierSim {
  name: CarrierName;
  /** One shipment's (or job's) events in carrier time order; `n` makes ids unique within a run. */
  story(rng: Rng, run: string, n: number, start: Date): CarrierEvent[];
  /** The request the carrier would make for this body, with its real authentication. */
  sign(body: string, secrets: Secrets, rng: Rng): SignedRequest;
  /** Deliveries the receiver must refuse, each with the status the contract promises. */
  bad(rng: Rng, run: string, secrets: Secrets): Array<SignedRequest & { label: string; expectStatus: number }>;
}
