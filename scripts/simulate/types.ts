import type { Rng } from "./rng";

/**
 * The receiver's settings as a carrier would present them, by env name (a secret list's newest
 * value, the one a carrier would have been given): see loadSettings.
 */
export type SimSettings = Record<string, string>;

/** One carrier event as the carrier would send it. */
export interface CarrierEvent {
  /** The registered carrier's name. */
  carrier: string;
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
  /** A registered carrier's name, or "other" (a path no carrier has). */
  carrier: string;
  kind: "valid" | "retry" | "bad";
  label: string;
  /** Valid and retry: the distinct event's number; a retry repeats its original's bytes exactly. */
  eventNo?: number;
  event?: CarrierEvent;
  /** Bad: the answer the contract promises. */
  expectStatus?: number;
}

/**
 * Everything one carrier contributes to the simulator: its folder's node-only `simulate.ts`
 * exports it as `simulate` (src/carriers/<name>/simulate.ts; scripts/simulate/sims.ts finds it).
 */
export interface CarrierSim {
  /** Optional: the registry's name is what counts. */
  name?: string;
  /** One shipment's (or job's) events in carrier time order; `n` makes ids unique within a run. */
  story(rng: Rng, run: string, n: number, start: Date): CarrierEvent[];
  /** The request the carrier would make for this body, with its real authentication. */
  sign(body: string, settings: SimSettings, rng: Rng): SignedRequest;
  /** Deliveries the receiver must refuse, each with the status the contract promises. */
  bad(rng: Rng, run: string, settings: SimSettings): Array<SignedRequest & { label: string; expectStatus: number }>;
  /**
   * For a sender whose keys are fetched from a URL (src/carriers/remote-keys.ts): its settings'
   * names, and the same request naming another kid (the bench's flood of unknown kids).
   */
  keySource?: {
    urlSetting: string;
    pinnedSetting: string;
    withKid(req: SignedRequest, kid: string): SignedRequest;
  };
}
