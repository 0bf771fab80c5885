import type { AnyCarrier } from "../carriers/kit";
import { markEnqueueFailed } from "../delivery/db/mark-enqueue-failed";
import { storeEvent } from "../delivery/db/store-event";
import { dedupeKeys } from "../events/dedupe-keys";
import { newEventId } from "../events/new-event-id";
import type { NormalizedEvent } from "../events/normalized-event";
import { toQueueMessage } from "../events/to-queue-message";
import { withStorage } from "./with-storage";

export interface AcceptInput {
  receivedAt: string;
  /** Already stripped of any `secret`. */
  requestUrl: string;
  rawBody: string;
}

export interface Accepted {
  /** The normalized event as built now (a duplicate keeps the first receipt's `eventId`). */
  event: NormalizedEvent;
  eventId: string;
  duplicate: boolean;
}

/**
 * A validated payload becomes an event: normalize, store (one D1 statement, deduplicated on the
 * carrier's event identity), then queue. Shared by the webhook receiver and the operator's
 * quarantine retry, so both store an event the same way.
 */
export async function acceptEvent<T>(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  carrier: AnyCarrier,
  payload: T,
  input: AcceptInput,
): Promise<Accepted> {
  const draft = carrier.normalize(payload);
  // Written out, not spread: cheaper on the hot path, and the fields go out in the contract's order.
  const event: NormalizedEvent = {
    id: newEventId(),
    carrier: carrier.name,
    type: draft.type,
    occurred_at: draft.occurred_at ?? input.receivedAt,
    received_at: input.receivedAt,
    tracking_number: draft.tracking_number,
    carrier_reference: draft.carrier_reference,
    status: draft.status,
    carrier_status: draft.carrier_status,
    reason: draft.reason,
    data: draft.data,
  };
  const keys = await dedupeKeys(carrier.name, carrier.eventKey(payload));
  const stored = await withStorage(() =>
    storeEvent(env.DB, {
      event,
      dedupeKey: keys.key,
      legacyDedupeKey: keys.legacy,
      rawBody: input.rawBody,
      requestUrl: input.requestUrl,
    }),
  );
  if (stored.duplicate) return { event, eventId: stored.eventId, duplicate: true };

  try {
    await env.EVENTS_QUEUE.send(toQueueMessage(event), { contentType: "json" });
  } catch {
    // D1 holds the event, so the sender gets its 200; the sweep queues it on its next run.
    console.warn(JSON.stringify({ msg: "enqueue_failed", carrier: carrier.name, event_id: event.id }));
    ctx.waitUntil(markEnqueueFailed(env.DB, [{ id: event.id }], input.receivedAt).catch(() => {}));
  }
  return { event, eventId: event.id, duplicate: false };
}
