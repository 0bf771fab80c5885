import type { GenericSchema } from "valibot";
import type { CarrierName, EventDraft } from "../events/normalized-event";

/** What a sender check sees of a request: nothing it could be tricked by. */
export interface SenderContext {
  url: URL;
  headers: Headers;
  /** The raw body, exactly as received; signatures are checked against these bytes. */
  rawBody: Uint8Array;
  /** `CF-Connecting-IP` only: never X-Forwarded-For or X-Real-IP. */
  clientIp: string | null;
}

export type SenderVerdict = "ok" | "unauthorized" | "forbidden" | "not_configured";

/**
 * One carrier: its sender check, payload schema, event identity and normalizer.
 * The receiver runs them in this order: verify, parse (shared), validate, normalize.
 */
export interface Carrier<TPayload = unknown> {
  name: CarrierName;
  verifySender(ctx: SenderContext, env: Env): Promise<SenderVerdict>;
  schema: GenericSchema<unknown, TPayload>;
  /** Identity of the carrier's event, the same for every retry of it; prefixed with the carrier by the receiver. */
  eventKey(payload: TPayload): string;
  normalize(payload: TPayload): EventDraft;
}
