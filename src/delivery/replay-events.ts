import { ApiError } from "../errors/api-error";
import type { CarrierName } from "../events/normalized-event";
import type { QueueMessage } from "../events/to-queue-message";
import { type ReplayWrite, readReplayTargets, writeReplay } from "./db/replay-deliveries";
import type { DeliveryState } from "./delivery-state";
import { sendMarked } from "./send-marked";

export interface ReplayOptions {
  /** Only to this destination (destinations.no); otherwise every destination each event matches. */
  destinationNo?: number;
  /** Only the deliveries in this state (a dead delivery to one destination is not re-sent to the others). */
  state?: DeliveryState;
  /** The operator's audit row, written in the replay's own batch (given the ids replayed). */
  audit?: (replayed: readonly string[]) => D1PreparedStatement;
}

/**
 * Replays events by id: D1 first (the `replay` transition: a new generation per delivery, so an
 * older message's dead letter or retry never undoes it), then one message per event (every
 * destination) or per delivery (one destination), same event id. A refused send is flagged for the
 * sweep, so a replay is never lost between the two. A deleted destination gets nothing. Returns
 * the ids that were found and replayed.
 */
export async function replayEvents(
  env: Env,
  ids: readonly string[],
  opts: ReplayOptions = {},
  now = new Date(),
): Promise<string[]> {
  const at = now.toISOString();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const t = await readReplayTargets(env.DB, unique);
  const write: ReplayWrite = { deliveries: [], wholeEvents: [], history: [] };
  const messages: QueueMessage[] = [];
  const replayed: string[] = [];
  const perDelivery = opts.destinationNo !== undefined || (opts.state !== undefined && opts.state !== "stored");
  for (const e of t.events) {
    const mine = t.deliveries.filter((d) => d.seq === e.seq);
    const message = (m: Omit<QueueMessage, "id" | "carrier">): QueueMessage => ({
      id: e.id,
      carrier: e.carrier as CarrierName,
      ...m,
    });
    if (!perDelivery) {
      // Every destination it matches now: the consumer matches it again on its first sight.
      const gen = Math.max(0, ...mine.map((d) => d.gen)) + 1;
      for (const d of mine) {
        if (d.state !== "dropped" && !t.deleted.has(d.no)) write.deliveries.push({ seq: e.seq, no: d.no, gen });
      }
      write.wholeEvents.push(e.seq);
      write.history.push({ seq: e.seq, no: null });
      messages.push(message({ g: gen }));
      replayed.push(e.id);
      continue;
    }
    let targets = opts.destinationNo !== undefined ? [opts.destinationNo] : mine.map((d) => d.no);
    targets = targets.filter((no) => !t.deleted.has(no));
    let any = false;
    for (const no of targets) {
      const d = mine.find((x) => x.no === no);
      if (d?.state === "dropped") continue;
      if (opts.state !== undefined && opts.state !== "stored" && d?.state !== opts.state) continue;
      const gen = (d?.gen ?? 0) + 1;
      write.deliveries.push({ seq: e.seq, no, gen });
      write.history.push({ seq: e.seq, no });
      messages.push(message({ d: no, g: gen }));
      any = true;
    }
    if (any) replayed.push(e.id);
  }
  if (write.history.length === 0) return [];
  await env.DB.batch([...writeReplay(env.DB, write, at), ...(opts.audit ? [opts.audit(replayed)] : [])]);
  const refused = await sendMarked(env, messages, at);
  if (refused > 0) console.warn(JSON.stringify({ msg: "replay_enqueue_failed", messages: refused }));
  return replayed;
}

/** Replays one stored event by id (same id again); 404 `not_found` when there is none. */
export async function replayEvent(env: Env, id: string, opts: ReplayOptions = {}): Promise<string> {
  const [replayed] = await replayEvents(env, [id], opts);
  if (replayed === undefined) {
    const found = await env.DB.prepare("SELECT 1 FROM events WHERE id = ?1").bind(id).first();
    if (found) return id;
    throw new ApiError("not_found", undefined, "No event with this id.");
  }
  return replayed;
}
