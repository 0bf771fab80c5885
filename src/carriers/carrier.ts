import type { GenericSchema } from "valibot";
import type { CarrierName, EventDraft } from "../events/normalized-event";

/** What a sender check sees of a request before its body is read: nothing it could be tricked by. */
export interface SenderContext {
  url: URL;
  headers: Headers;
  /** `CF-Connecting-IP` only: never X-Forwarded-For or X-Real-IP. */
  clientIp: string | null;
}

export type SenderVerdict = "ok" | "unauthorized" | "forbidden" | "not_configured";

/**
 * One carrier: its sender checks, payload schema, event identity and normalizer.
 * The receiver runs them in this order: verifySender, read the body (within MAX_BODY_BYTES),
 * verifyBody, parse (shared), validate, normalize. An unauthenticated request's body is never read
 * beyond what its check needs: nothing at all unless the carrier signs its bodies.
 */
export interface Carrier<TPayload = unknown> {
  name: CarrierName;
  /** Every check that needs no body (address, URL secret, header token), before a byte of it is read. */
  verifySender(ctx: SenderContext, env: Env): Promise<SenderVerdict>;
  /** A check over the raw body exactly as received (a signature), run only once verifySender passed. */
  verifyBody?(ctx: SenderContext, rawBody: Uint8Array, env: Env): Promise<SenderVerdict>;
  schema: GenericSchema<unknown, TPayload>;
  /** Identity of the carrier's event, the same for every retry of it; prefixed with the carrier by the receiver. */
  eventKey(payload: TPayload): string;
  normalize(payload: TPayload): EventDraft;
}
