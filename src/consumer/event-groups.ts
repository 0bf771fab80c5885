import { isQueueMessage } from "../events/to-queue-message";

/** The messages of one batch that carry the same event id (a sweep re-send, a replay, a redelivery). */
export interface EventGroup {
  id: string;
  messages: Message<unknown>[];
}

/**
 * Groups a batch's messages by event id, so one event is forwarded at most once per batch.
 * A body without an event id cannot come from our producers; it is logged whole and acked,
 * since no retry can ever make it deliverable.
 */
export function groupByEvent(messages: readonly Message<unknown>[]): Map<string, EventGroup> {
  const groups = new Map<string, EventGroup>();
  for (const msg of messages) {
    if (!isQueueMessage(msg.body)) {
      console.error(JSON.stringify({ msg: "consumer_not_an_event", message_id: msg.id, body: msg.body }));
      msg.ack();
      continue;
    }
    const group = groups.get(msg.body.id);
    if (group) group.messages.push(msg);
    else groups.set(msg.body.id, { id: msg.body.id, messages: [msg] });
  }
  return groups;
}

export function ackGroup(group: EventGroup): void {
  for (const msg of group.messages) msg.ack();
}

/**
 * Retries the event once: the message furthest along keeps its attempt count (so the event still
 * reaches the dead-letter queue after max_retries), its duplicates are acked.
 */
export function retryGroup(group: EventGroup, delaySeconds: (attempts: number) => number): void {
  const furthest = group.messages.reduce((a, b) => (b.attempts > a.attempts ? b : a));
  for (const msg of group.messages) {
    if (msg === furthest) msg.retry({ delaySeconds: delaySeconds(msg.attempts) });
    else msg.ack();
  }
}
