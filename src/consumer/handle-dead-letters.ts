import { deadLetterOf, markDead } from "../delivery/db/mark-dead";
import { errorText } from "../errors/error-text";
import { ackGroup, groupByEvent } from "./event-groups";

/** How long to wait before trying again when D1 fails: the dead-letter queue has few retries. */
const D1_RETRY_SECONDS = 60;

/**
 * The `carrier-events-dlq` consumer: a delivery whose message failed through every retry is marked
 * `dead` (with a 'dead' row in its attempt log) so an operator sees and can replay it, or `held`
 * when its destination is down, refusing or paused (the catch-up delivers it). Only deliveries of
 * the message's generation: a dead letter of a message older than a replay changes nothing. One
 * D1 round trip per batch.
 */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const groups = groupByEvent(batch.messages);
  if (groups.size === 0) return;
  const letters = [...groups.values()].flatMap((g) => g.messages.map((m) => deadLetterOf(m.body)));
  let dead: Map<string, number>;
  try {
    dead = await markDead(env.DB, letters, new Date().toISOString());
  } catch (err) {
    console.error(
      JSON.stringify({ msg: "dead_letter_d1_failed", error: errorText(err), event_ids: [...groups.keys()] }),
    );
    for (const g of groups.values()) for (const msg of g.messages) msg.retry({ delaySeconds: D1_RETRY_SECONDS });
    return;
  }
  for (const g of groups.values()) {
    const n = dead.get(g.id);
    if (n === undefined) {
      // Not in D1, so nothing to mark: the log is its only record.
      console.error(JSON.stringify({ msg: "dead_letter_not_in_d1", event_id: g.id }));
    } else if (n > 0) {
      console.warn(JSON.stringify({ msg: "event_dead", event_id: g.id, deliveries: n }));
    } else {
      console.log(JSON.stringify({ msg: "dead_letter_already_done", event_id: g.id }));
    }
    ackGroup(g);
  }
}
