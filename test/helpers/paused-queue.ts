/**
 * Fault binding: a queue whose consumer is paused. It takes every message and holds it (nothing
 * consumes it), so a test can count what was sent and hand the messages to the consumer itself.
 */
export interface PausedQueue extends Queue {
  messages: unknown[];
}

export function pausedQueue(): PausedQueue {
  const messages: unknown[] = [];
  const queue = {
    messages,
    async send(body: unknown) {
      messages.push(body);
    },
    async sendBatch(batch: Iterable<MessageSendRequest>) {
      for (const m of batch) messages.push(m.body);
    },
  };
  return queue as unknown as PausedQueue;
}
