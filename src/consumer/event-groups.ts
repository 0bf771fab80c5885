import { destinationOf, generationOf, isQueueMessage, type QueueMessage } from "../events/to-queue-message";

/** The messages of one batch that carry the same event id (a sweep re-send, a replay, a redelivery). */
export interface EventGroup {
  id: string;
  messages: Message<QueueMessage>[];
}

/**
 * Groups a batch's messages by event id, so one event is forwarded at most once per destination
 * per batch. A body without an event id cannot come from our producers; it is logged whole and
 * acked, since no retry can ever make it deliverable.
 */
export function groupByEvent(messages: readonly Message<unknown>[]): Map<string, EventGroup> {
  const groups = new Map<string, EventGroup>();
  for (const msg of messages) {
    if (!isQueueMessage(msg.body)) {
      console.error(JSON.stringify({ msg: "consumer_not_an_event", message_id: msg.id, body: msg.body }));
      msg.ack();
      continue;
    }
    const m = msg as Message<QueueMessage>;
    const group = groups.get(m.body.id);
    if (group) group.messages.push(m);
    else groups.set(m.body.id, { id: m.body.id, messages: [m] });
  }
  return groups;
}

export function ackGroup(group: EventGroup): void {
  for (const msg of group.messages) msg.ack();
}

/** Whether a message is for this delivery: its destination (or every one) and its generation. */
export function claims(msg: Message<QueueMessage>, destination: number, gen: number): boolean {
  const d = destinationOf(msg.body);
  return (d === null || d === destination) && generationOf(msg.body) === gen;
}

/**
 * Retries what still owes a retry, once per delivery: for each delivery to retry, the message of
 * the newest generation that claims it (a fresh replay beats an older message with more attempts),
 * then the one furthest along. Every other message of the group is acked.
 */
export function retryGroup(
  group: EventGroup,
  retrying: readonly { destination: number; gen: number }[],
  delaySeconds: (messageAttempts: number) => number,
): void {
  const keep = new Set<Message<QueueMessage>>();
  for (const r of retrying) {
    const mine = group.messages.filter((m) => claims(m, r.destination, r.gen));
    if (mine.length === 0) continue;
    keep.add(
      mine.reduce((a, b) => {
        const ga = generationOf(a.body);
        const gb = generationOf(b.body);
        return gb > ga || (gb === ga && b.attempts > a.attempts) ? b : a;
      }),
    );
  }
  for (const msg of group.messages) {
    if (keep.has(msg)) msg.retry({ delaySeconds: delaySeconds(msg.attempts) });
    else msg.ack();
  }
}

/** After a D1 failure: every message is retried (the outcome is not recorded). */
export function retryAll(group: EventGroup, delaySeconds: (attempts: number) => number): void {
  for (const msg of group.messages) msg.retry({ delaySeconds: delaySeconds(msg.attempts) });
}
