import { readConfig } from "../config";
import { closeBatch } from "../delivery/db/close-batch";
import { openBatch } from "../delivery/db/open-batch";
import type { Settled } from "../delivery/db/settle";
import { owesDelivery } from "../delivery/delivery-state";
import { downstreamReport, HOLD_AFTER_FAILURES, isDownAfter } from "../delivery/hold-policy";
import { errorText } from "../errors/error-text";
import type { NormalizedEvent } from "../events/normalized-event";
import { upsertShipments } from "./db/upsert-shipments";
import { ackGroup, type EventGroup, groupByEvent, retryGroup } from "./event-groups";
import { forwardAll } from "./forward-all";
import { retryDelay } from "./retry-delay";
import { shipmentUpdates } from "./shipment-updates";
import { webhookSigner } from "./sign-webhook";

/**
 * The `carrier-events` consumer. Two D1 round trips per batch whatever its size (openBatch reads
 * the events the messages name, closeBatch writes every outcome), at most 6 forwards in flight,
 * and a message is acked only once D1 has its event's outcome: delivered (2xx), stored (no
 * FORWARD_URL), held (the downstream is down), or found already done. A failed forward is retried
 * with backoff. `fetcher` is the runtime's fetch; a test passes a stand-in for the downstream.
 */
export async function handleEventBatch(batch: MessageBatch<unknown>, env: Env, fetcher?: typeof fetch): Promise<void> {
  const config = readConfig(env);
  const delay = (attempts: number) => retryDelay(attempts, config.retryBaseSeconds);
  const groups = groupByEvent(batch.messages);
  if (groups.size === 0) return;

  let opened: Awaited<ReturnType<typeof openBatch>>;
  try {
    opened = await openBatch(env.DB, [...groups.keys()], new Date().toISOString());
  } catch (err) {
    logD1Failure("open", err, groups);
    for (const g of groups.values()) retryGroup(g, delay);
    return;
  }

  const owed: { group: EventGroup; event: NormalizedEvent }[] = [];
  for (const g of groups.values()) {
    const found = opened.events.get(g.id);
    if (found === undefined) {
      // Cannot happen in normal operation (D1 is written before the queue); after a D1 restore it
      // could. Nothing to forward (the message holds only the id): logged, acked.
      console.error(JSON.stringify({ msg: "consumer_event_not_in_d1", event_id: g.id }));
      ackGroup(g);
    } else if (!owesDelivery(found.state)) {
      console.log(JSON.stringify({ msg: "consumer_stale_message", event_id: g.id, state: found.state }));
      ackGroup(g);
    } else owed.push({ group: g, event: found.event });
  }
  if (owed.length === 0) return;

  const shipments = owed.flatMap((o) => shipmentUpdates(o.event));
  const also = shipments.length > 0 ? [upsertShipments(env.DB, shipments, new Date().toISOString())] : [];
  const none = (o: { event: NormalizedEvent }): Settled => ({ id: o.event.id, attempts: 0 });

  if (config.forwardUrl === null || opened.downstream.down_since !== null) {
    // Nothing to send to, or the downstream is down: no forward, no retry spent. A held event is
    // re-queued by the catch-up once the downstream answers again.
    const name = config.forwardUrl === null ? "no-forward-url" : "outage";
    if (!(await close(env, owedGroups(owed), delay, { forwards: [], settled: { [name]: owed.map(none) }, also })))
      return;
    for (const o of owed) ackGroup(o.group);
    return;
  }

  const outcomes = await forwardAll(
    owed.map((o) => o.event),
    {
      url: config.forwardUrl,
      signer: webhookSigner(config.signingSecret),
      timeoutMs: config.timeoutMs,
      fetch: fetcher,
    },
  );
  const report = downstreamReport(outcomes);
  const down = isDownAfter(opened.downstream.failures, report);
  const byId = new Map(outcomes.map((o) => [o.eventId, o]));
  const ok = outcomes.filter((o) => o.ok).map((o) => ({ id: o.eventId, attempts: 1 }));
  const failed = outcomes.filter((o) => !o.ok).map((o) => ({ id: o.eventId, attempts: 1 }));
  const closed = await close(env, owedGroups(owed), delay, {
    forwards: outcomes,
    settled: { forwarded: ok, [down ? "outage" : "forward-failed"]: failed },
    downstream: { report, holdAfter: HOLD_AFTER_FAILURES },
    also,
  });
  if (!closed) return;

  if (down && failed.length > 0) {
    console.warn(JSON.stringify({ msg: "downstream_down", held: failed.length, failures_in_batch: report.failures }));
  }
  for (const { group } of owed) {
    const o = byId.get(group.id);
    if (o?.ok || down) {
      ackGroup(group);
      continue;
    }
    console.warn(
      JSON.stringify({ msg: "forward_failed", event_id: group.id, http_status: o?.httpStatus, error: o?.error }),
    );
    retryGroup(group, delay);
  }
}

/** Writes the batch's outcome; when D1 fails, every message is retried (the outcome is not recorded). */
async function close(
  env: Env,
  groups: EventGroup[],
  delay: (attempts: number) => number,
  what: Parameters<typeof closeBatch>[1],
): Promise<boolean> {
  try {
    await closeBatch(env.DB, what, new Date().toISOString());
    return true;
  } catch (err) {
    // Deliver again later so the outcome is recorded (same webhook-id, so the downstream can tell
    // it is a repeat).
    logD1Failure("close", err, new Map(groups.map((g) => [g.id, g])));
    for (const g of groups) retryGroup(g, delay);
    return false;
  }
}

function owedGroups(owed: { group: EventGroup }[]): EventGroup[] {
  return owed.map((o) => o.group);
}

function logD1Failure(step: string, err: unknown, groups: Map<string, EventGroup>): void {
  console.error(
    JSON.stringify({ msg: "consumer_d1_failed", step, error: errorText(err), event_ids: [...groups.keys()] }),
  );
}
