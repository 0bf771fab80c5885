import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { Carrier, SenderVerdict } from "../carriers/carrier";
import { markEnqueueFailed } from "../db/mark-enqueue-failed";
import { storeEvent } from "../db/store-event";
import { storeQuarantine } from "../db/store-quarantine";
import { ApiError, type ErrorCode } from "../errors/api-error";
import { newEventId, newQuarantineId } from "../events/new-event-id";
import type { NormalizedEvent } from "../events/normalized-event";
import { toQueueMessage } from "../events/to-queue-message";
import { parseJsonBody } from "./parse-json-body";
import { stripSecret } from "./strip-secret";
import { validatePayload } from "./validate-payload";

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
      await storage(() =>
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

    const event: NormalizedEvent = {
      id: newEventId(),
      carrier: carrier.name,
      received_at: receivedAt,
      ...carrier.normalize(validation.output),
    };
    const stored = await storage(() =>
      storeEvent(c.env.DB, {
        event,
        dedupeKey: `${carrier.name}:${carrier.eventKey(validation.output)}`,
        rawBody: text,
        requestUrl,
      }),
    );
    c.set("eventId", stored.eventId);
    if (stored.duplicate) {
      c.set("outcome", "duplicate");
      return c.json({ status: "duplicate", event_id: stored.eventId }, 200);
    }

    try {
      await c.env.EVENTS_QUEUE.send(toQueueMessage(event), { contentType: "json" });
    } catch {
      // D1 holds the event, so the carrier gets its 200; the sweep queues it on its next run.
      console.warn(JSON.stringify({ msg: "enqueue_failed", carrier: carrier.name, event_id: event.id }));
      c.executionCtx.waitUntil(markEnqueueFailed(c.env.DB, event.id, receivedAt).catch(() => {}));
    }
    c.set("outcome", "accepted");
    return c.json({ status: "accepted", event_id: event.id }, 200);
  };
}

/** A D1 failure becomes 503: nothing was accepted and the carrier will retry. */
async function storage<R>(write: () => Promise<R>): Promise<R> {
  try {
    return await write();
  } catch (err) {
    console.error(
      JSON.stringify({ msg: "storage_failed", error: String((err as Error)?.message ?? err).slice(0, 200) }),
    );
    throw new ApiError("storage_unavailable");
  }
}
