import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { Carrier, SenderVerdict } from "../carriers/carrier";
import { storeQuarantine } from "../db/store-quarantine";
import { ApiError, type ErrorCode } from "../errors/api-error";
import { newQuarantineId } from "../events/new-event-id";
import { acceptEvent } from "./accept-event";
import { parseJsonBody } from "./parse-json-body";
import { stripSecret } from "./strip-secret";
import { validatePayload } from "./validate-payload";
import { withStorage } from "./with-storage";

const VERDICT_ERRORS: Record<Exclude<SenderVerdict, "ok">, ErrorCode> = {
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_configured: "carrier_not_configured",
};

/** POST /webhooks/{carrier}: verify the sender, parse, validate, normalize, store, queue. */
export function receiveWebhook<T>(carrier: Carrier<T>) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const url = new URL(c.req.url);
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    const verdict = await carrier.verifySender(
      { url, headers: c.req.raw.headers, rawBody, clientIp: c.req.header("cf-connecting-ip") ?? null },
      c.env,
    );
    if (verdict !== "ok") throw new ApiError(VERDICT_ERRORS[verdict]);

    const { text, value } = parseJsonBody(rawBody);
    const receivedAt = new Date().toISOString();
    const requestUrl = stripSecret(url);
    const validation = validatePayload(carrier.schema, value);
    if (!validation.ok) {
      await withStorage(() =>
        storeQuarantine(c.env.DB, {
          id: newQuarantineId(),
          carrier: carrier.name,
          receivedAt,
          requestUrl,
          rawBody: text,
          issues: validation.issues,
        }),
      );
      c.set("outcome", "quarantined");
      throw new ApiError("invalid_payload", validation.issues);
    }

    const accepted = await acceptEvent(c.env, c.executionCtx, carrier, validation.output, {
      receivedAt,
      requestUrl,
      rawBody: text,
    });
    c.set("eventId", accepted.eventId);
    if (accepted.duplicate) {
      c.set("outcome", "duplicate");
      return c.json({ status: "duplicate", event_id: accepted.eventId }, 200);
    }
    c.set("outcome", "accepted");
    return c.json({ status: "accepted", event_id: accepted.eventId }, 200);
  };
}
