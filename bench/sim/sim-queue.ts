// A simulated Cloudflare queue, under the scheduler's control. Why not the real local queue: its
// delivery order, batching, redelivery and timing are workerd's and the wall clock's, so no seed
// could replay a schedule, and the faults below could not be placed. This queue is the fault
// injection for the queue: it implements the Queue producer and the MessageBatch/Message
// interfaces the real code uses, with Cloudflare's semantics as wrangler.consumer.toml configures
// them (max_retries, the dead-letter queue, explicit ack/retry, implicit ack when the handler
// returns, every message retried when it throws), and may refuse a send, duplicate a message,
// delay it, deliver in any order, and redeliver a message whose invocation died.
import type { Rng } from "../../scripts/simulate/rng";
import type { Scheduler } from "./scheduler";
import { clock } from "./virtual-clock";

export interface QueueFaults {
  /** Per send call: the queue refuses it (Queues unavailable). */
  refuse: number;
  /** Per message: a second copy is enqueued (at-least-once delivery). */
  duplicate: number;
  /** Per message: held back up to `maxDelaySeconds` before it is visible. */
  delay: number;
  maxDelaySeconds: number;
  /** Per acked message: delivered once more anyway. */
  redeliverAcked: number;
}

export const NO_QUEUE_FAULTS: QueueFaults = {
  refuse: 0,
  duplicate: 0,
  delay: 0,
  maxDelaySeconds: 0,
  redeliverAcked: 0,
};

export interface SimMessage {
  id: string;
  body: unknown;
  /** Deliveries so far. */
  attempts: number;
  visibleAt: number;
  sentAt: number;
  inFlight: boolean;
}

/** How long a message of a dead invocation stays invisible before it is redelivered. */
const VISIBILITY_SECONDS = [30, 60, 120, 300];

export class SimQueue {
  readonly messages: SimMessage[] = [];
  private seq = 0;
  faults: QueueFaults = NO_QUEUE_FAULTS;

  constructor(
    readonly name: string,
    readonly maxRetries: number,
    readonly deadLetters: SimQueue | null,
    private readonly sched: Scheduler,
    private readonly rng: Rng,
  ) {}

  private label(body: unknown): string {
    return `${this.name === "carrier-events" ? "queue" : "dlq"} ${JSON.stringify(body)}`;
  }

  enqueue(body: unknown, delaySeconds = 0, attempts = 0, why = "sent"): void {
    const copies = this.rng.chance(this.faults.duplicate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      let delay = delaySeconds;
      if (this.rng.chance(this.faults.delay)) delay += this.rng.int(1, this.faults.maxDelaySeconds);
      const m: SimMessage = {
        id: `m${++this.seq}`,
        body: structuredClone(body),
        attempts,
        visibleAt: clock.now() + delay * 1000,
        sentAt: clock.now(),
        inFlight: false,
      };
      this.messages.push(m);
      this.sched.trace(
        `${this.label(body)} ${m.id} ${c === 0 ? why : "DUPLICATED"}${delay > 0 ? ` (visible in ${delay} s)` : ""}`,
      );
    }
  }

  /** The producer binding (`env.EVENTS_QUEUE`). */
  producer(): Queue {
    const refuse = () => {
      if (!this.rng.chance(this.faults.refuse)) return false;
      this.sched.trace(`FAULT queue refused a send`);
      return true;
    };
    return {
      send: async (body: unknown, options?: QueueSendOptions) => {
        if (refuse()) throw new Error("Queue send failed: simulated refusal");
        this.enqueue(body, options?.delaySeconds ?? 0);
      },
      sendBatch: async (batch: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
        if (refuse()) throw new Error("Queue sendBatch failed: simulated refusal");
        for (const m of batch) this.enqueue(m.body, m.delaySeconds ?? options?.delaySeconds ?? 0);
      },
    } as unknown as Queue;
  }

  visible(): SimMessage[] {
    return this.messages.filter((m) => !m.inFlight && m.visibleAt <= clock.now());
  }

  nextVisibleAt(): number | undefined {
    const waiting = this.messages.filter((m) => !m.inFlight);
    return waiting.length === 0 ? undefined : Math.min(...waiting.map((m) => m.visibleAt));
  }

  /** Messages waiting or in flight. */
  size(): number {
    return this.messages.length;
  }

  /**
   * Takes up to `max` visible messages in a random order (the queue promises no order) and hands
   * them to `handler` as one MessageBatch in a new task; applies the outcome as Queues does.
   */
  deliver(max: number, spawn: (batch: MessageBatch<unknown>, settle: Settle) => void): number {
    const picked = this.rng.shuffle(this.visible()).slice(0, max);
    if (picked.length === 0) return 0;
    const outcome = new Map<SimMessage, { ack: boolean; delay: number }>();
    for (const m of picked) {
      m.inFlight = true;
      m.attempts++;
    }
    const messages = picked.map(
      (m): Message<unknown> =>
        ({
          id: m.id,
          timestamp: new Date(m.sentAt),
          body: structuredClone(m.body),
          attempts: m.attempts,
          ack: () => outcome.set(m, { ack: true, delay: 0 }),
          retry: (o?: QueueRetryOptions) => outcome.set(m, { ack: false, delay: o?.delaySeconds ?? 0 }),
        }) as unknown as Message<unknown>,
    );
    const batch = {
      queue: this.name,
      messages,
      ackAll: () => {
        for (const m of picked) outcome.set(m, { ack: true, delay: 0 });
      },
      retryAll: (o?: QueueRetryOptions) => {
        for (const m of picked) outcome.set(m, { ack: false, delay: o?.delaySeconds ?? 0 });
      },
    } as unknown as MessageBatch<unknown>;
    this.sched.trace(`${this.name} batch of ${picked.length}: ${picked.map((m) => `${m.id}#${m.attempts}`).join(" ")}`);
    spawn(batch, (how) => {
      for (const m of picked) {
        const o = outcome.get(m);
        // Returned: what was not retried is acked. Threw: what was not acked is retried. Died: the
        // visibility timeout passes and every message not acked comes back.
        const ack = how === "returned" ? (o?.ack ?? true) : (o?.ack ?? false);
        const delay =
          how === "killed" && o === undefined ? (this.rng.pick(VISIBILITY_SECONDS) as number) : (o?.delay ?? 0);
        this.settle(m, ack, delay, how);
      }
    });
    return picked.length;
  }

  private settle(m: SimMessage, ack: boolean, delaySeconds: number, how: string): void {
    m.inFlight = false;
    const tag = `${this.label(m.body)} ${m.id}#${m.attempts}`;
    if (ack) {
      this.remove(m);
      this.sched.trace(`${tag} acked`);
      if (this.rng.chance(this.faults.redeliverAcked)) this.enqueue(m.body, 0, m.attempts, "REDELIVERED after ack");
      return;
    }
    if (m.attempts > this.maxRetries) {
      this.remove(m);
      if (this.deadLetters) {
        this.sched.trace(`${tag} retries spent: to the dead-letter queue`);
        this.deadLetters.enqueue(m.body, 0, 0, "dead-lettered");
      } else this.sched.trace(`${tag} retries spent: dropped (no dead-letter queue)`);
      return;
    }
    m.visibleAt = clock.now() + delaySeconds * 1000;
    this.sched.trace(
      `${tag} ${how === "killed" ? "redelivery after the invocation died" : "retry"} in ${delaySeconds} s`,
    );
  }

  private remove(m: SimMessage): void {
    const i = this.messages.indexOf(m);
    if (i >= 0) this.messages.splice(i, 1);
  }
}

export type Settle = (how: "returned" | "threw" | "killed") => void;
