import { readConfig } from "../config";
import { owesDelivery } from "../delivery/delivery-state";
import { errorText } from "../errors/error-text";
import { closeBatch, type StateChange } from "./db/close-batch";
import { openBatch, type StoredState } from "./db/open-batch";
import { ackGroup, type EventGroup, groupByEvent, retryGroup } from "./event-groups";
import { type ForwardOutcome, forwardEvent } from "./forward-event";
import { retryDelay } from "./retry-delay";
import { shipmentUpdates } from "./shipment-updates";
import { webhookSigner } from "./sign-webhook";

/**
 * The `carrier-events` consumer. Two D1 round trips per batch whatever its size (openBatch,
 * closeBatch), forwards concurrently, and acks a message only once its event was delivered (2xx),
 * stored (no FORWARD_URL) or found already done; a failed forward is retried with backoff.
 */
export async function handleEventBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = readConfig(env);
  const delay = (attempts: number) => retryDelay(attempts, config.retryBaseSeconds);
  const groups = groupByEvent(batch.messages);
  if (groups.size === 0) return;

  const at = new Date().toISOString();
  let stored: Map<string, StoredState>;
  try {
    const updates = [...groups.values()].flatMap((g) => shipmentUpdates(g.event));
    stored = await openBatch(env.DB, [...groups.keys()], updates, at);
  } catch (err) {
    logD1Failure("open", err, groups);
    for (const g of groups.values()) retryGroup(g, delay);
    return;
  }

  const toForward: EventGroup[] = [];
  const toStore: EventGroup[] = [];
  for (const g of groups.values()) {
    const found = stored.get(g.event.id);
    if (found === undefined) {
      // Should not happen (the receiver writes D1 before it queues). Not dropped: forwarded as is
      // when there is a downstream, and logged whole either way.
      console.error(JSON.stringify({ msg: "consumer_event_not_in_d1", event: g.event }));
    } else if (!owesDelivery(found.state)) {
      console.log(JSON.stringify({ msg: "consumer_stale_message", event_id: g.event.id, state: found.state }));
      ackGroup(g);
      continue;
    } else {
      // What D1 holds is the event: a message may have left out `data` to fit the queue.
      g.event = found.event;
    }
    (config.forwardUrl === null ? toStore : toForward).push(g);
  }

  let forwarded: { group: EventGroup; outcome: ForwardOutcome }[] = [];
  if (config.forwardUrl !== null && toForward.length > 0) {
    const target = {
      url: config.forwardUrl,
      signer: webhookSigner(config.signingSecret),
      timeoutMs: config.timeoutMs,
    };
    forwarded = await Promise.all(
      toForward.map(async (group) => ({ group, outcome: await forwardEvent(group.event, target) })),
    );
  }
  const outcomes = forwarded.map((f) => f.outcome);

  const changes: StateChange[] = [
    ...outcomes.map((o): StateChange => ({ id: o.eventId, state: o.ok ? "delivered" : "retrying", attempts: 1 })),
    ...toStore.map((g): StateChange => ({ id: g.event.id, state: "stored", attempts: 0 })),
  ];
  try {
    await closeBatch(env.DB, outcomes, changes, new Date().toISOString());
  } catch (err) {
    // The outcome is not recorded: deliver again later so it is (same webhook-id, so the
    // downstream can tell it is a repeat).
    logD1Failure("close", err, groups);
    for (const g of [...toForward, ...toStore]) retryGroup(g, delay);
    return;
  }

  for (const g of toStore) ackGroup(g);
  for (const { group, outcome: o } of forwarded) {
    if (o.ok) {
      ackGroup(group);
      continue;
    }
    console.warn(
      JSON.stringify({ msg: "forward_failed", event_id: o.eventId, http_status: o.httpStatus, error: o.error }),
    );
    retryGroup(group, delay);
  }
}

function logD1Failure(step: string, err: unknown, groups: Map<string, EventGroup>): void {
  console.error(
    JSON.stringify({
      msg: "consumer_d1_failed",
      step,
      error: errorText(err),
      event_ids: [...groups.keys()],
    }),
  );
}
