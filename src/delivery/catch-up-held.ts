import { readConfig } from "../config";
import { forwardEvent } from "../consumer/forward-event";
import { webhookSigner } from "../consumer/sign-webhook";
import { type EventRow, rowToEvent } from "../db/row-to-event";
import type { QueueMessage } from "../events/to-queue-message";
import { SWEEP_LOST_AFTER_SECONDS, SWEEP_MAX_OUTSTANDING } from "../sweep/sweep-unqueued";
import { type DownstreamHealth, markDownstreamUp, readDownstream } from "./db/downstream-health";
import { markCaughtUp, selectHeld, selectProbe } from "./db/held-events";
import { recordForwards } from "./db/record-forwards";
import { countOutstanding } from "./db/select-unqueued";
import { settle } from "./db/settle";
import { downstreamSignal } from "./hold-policy";
import { sendMarked } from "./send-marked";

/** Held events re-queued per cron run at most (oldest first); the rest follow on the next runs. */
export const CATCH_UP_PER_RUN = 1000;

export interface CatchUp {
  /** Whether a probe was sent, and whether it answered 2xx. */
  probe: "none" | "ok" | "failed";
  requeued: number;
}

/**
 * The cron's catch-up after an outage. While the downstream is down, it probes it with one held
 * event (the least recently probed, oldest first); a 2xx delivers that event and marks the
 * downstream up. Once it is up, held events go back on the queue oldest first, a bounded number
 * per run, never more than the sweep's limit of events on their way, so the consumer's own pace
 * sets the flow. `fetcher` is the runtime's fetch; a test passes a stand-in for the downstream.
 */
export async function catchUpHeld(env: Env, now = new Date(), fetcher?: typeof fetch): Promise<CatchUp> {
  const config = readConfig(env);
  const at = now.toISOString();
  const [health, probeRows, outstanding] = await env.DB.batch<unknown>([
    readDownstream(env.DB),
    selectProbe(env.DB),
    countOutstanding(env.DB, now, SWEEP_LOST_AFTER_SECONDS, SWEEP_MAX_OUTSTANDING),
  ]);
  const probeRow = probeRows?.results[0] as EventRow | undefined;
  if (probeRow === undefined) return { probe: "none", requeued: 0 };
  const down = (health?.results[0] as DownstreamHealth | undefined)?.down_since != null;

  let probe: CatchUp["probe"] = "none";
  if (down && config.forwardUrl !== null) {
    const outcome = await forwardEvent(rowToEvent(probeRow), {
      url: config.forwardUrl,
      signer: webhookSigner(config.signingSecret),
      timeoutMs: config.timeoutMs,
      fetch: fetcher,
    });
    probe = outcome.ok ? "ok" : "failed";
    // A refusal of this one event is an answer too: the downstream is up, and the refused event
    // goes back on the queue with the others, to its own retries.
    const up = downstreamSignal(outcome) === "answered";
    const settled = [{ id: outcome.eventId, attempts: 1 }];
    await env.DB.batch([
      recordForwards(env.DB, [outcome]),
      settle(env.DB, outcome.ok ? "probe-ok" : "probe-failed", settled, at),
      ...(up ? [markDownstreamUp(env.DB, at)] : []),
    ]);
    console.log(
      JSON.stringify({ msg: "catch_up_probe", event_id: outcome.eventId, ok: outcome.ok, up, error: outcome.error }),
    );
    if (!up) return { probe, requeued: 0 };
  } else if (down) {
    // Forwarding is off now: the held events are re-queued and the consumer stores them.
    await markDownstreamUp(env.DB, at).run();
  }

  const inFlight = (outstanding?.results[0] as { n: number } | undefined)?.n ?? 0;
  const budget = Math.min(CATCH_UP_PER_RUN, SWEEP_MAX_OUTSTANDING - inFlight);
  if (budget <= 0) return { probe, requeued: 0 };
  const { results: held } = await selectHeld(env.DB, budget).all<QueueMessage>();
  if (held.length === 0) return { probe, requeued: 0 };
  const { results: marked } = await markCaughtUp(
    env.DB,
    held.map((m) => m.id),
    at,
  ).all<QueueMessage>();
  const refused = await sendMarked(env, marked, at);
  console.log(JSON.stringify({ msg: "catch_up", requeued: marked.length - refused, refused }));
  return { probe, requeued: marked.length - refused };
}
