import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { findCarrier } from "../carriers";
import { storeQuarantine } from "../db/store-quarantine";
import { ApiError } from "../errors/api-error";
import { newQuarantineId } from "../events/new-event-id";
import { acceptEvent } from "./accept-event";
import { carrierSettings, refuseUnlessOk, senderContext } from "./check-sender";
import { parseJsonBody } from "./parse-json-body";
import { stripSecret } from "./strip-secret";
import { validatePayload } from "./validate-payload";
import { withStorage } from "./with-storage";

/**
 * POST /webhooks/{carrier}, after `checkSender` and the body limit: read the body, check its
 * signature where the carrier signs, parse, validate, normalize, store, queue.
 */
export async function receiveWebhook(c: Context<AppEnv>): Promise<Response> {
  const carrier = findCarrier(c.req.param("carrier") ?? "");
  // checkSender answered 404 already; this only narrows the type.
  if (!carrier) throw new ApiError("not_found");
  const sender = senderContext(c);
  const url = sender.url;
  const rawBody = new Uint8Array(await c.req.arrayBuffer());
  if (carrier.verifyBody) refuseUnlessOk(await carrier.verifyBody(sender, rawBody, carrierSettings(c.env, carrier)));

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
}
