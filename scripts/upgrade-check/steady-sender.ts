// Sends the simulator's signed webhooks at a steady rate for as long as it runs, as carriers do
// while a deploy goes on. A request with no answer or a 5xx is sent again a second later (a
// carrier retries what it could not deliver); a 200 makes its event accepted, in the phase it
// was first answered.
import { sendOne } from "../simulate/send";
import type { Delivery } from "../simulate/types";

export interface Accepted {
  phase: string;
  at: number;
}

export interface SteadySender {
  /** Event id → when it was first answered 200. */
  accepted: Map<string, Accepted>;
  /** Answers by status (0: none), every try counted. */
  answers: Map<number, number>;
  sent(): number;
  /** Holds new requests (while the local Workers restart); answers in flight still count. */
  pause(): void;
  resume(): void;
  /** No new deliveries; waits until every one sent so far was answered (or `timeoutMs`). */
  stop(timeoutMs?: number): Promise<{ unanswered: number }>;
}

export function startSteadySender(
  baseUrl: string,
  deliveries: Delivery[],
  opts: { rate: number; concurrency: number; phase: () => string },
): SteadySender {
  const accepted = new Map<string, Accepted>();
  const answers = new Map<number, number>();
  const retries: Delivery[] = [];
  let next = 0;
  let sent = 0;
  let inFlight = 0;
  let paused = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const send = async (d: Delivery) => {
    inFlight++;
    sent++;
    const r = await sendOne(baseUrl, d, 15_000);
    inFlight--;
    answers.set(r.status, (answers.get(r.status) ?? 0) + 1);
    if (r.status === 0 || r.status >= 500) retries.push(d);
    else if (r.status === 200 && r.eventId && !accepted.has(r.eventId))
      accepted.set(r.eventId, { phase: opts.phase(), at: Date.now() });
  };
  const tick = () => {
    if (paused || inFlight >= opts.concurrency) return;
    const d = retries.shift() ?? (stopping ? undefined : deliveries[next++]);
    if (d) void send(d);
  };
  timer = setInterval(tick, 1000 / opts.rate);

  return {
    accepted,
    answers,
    sent: () => sent,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    async stop(timeoutMs = 60_000) {
      stopping = true;
      paused = false;
      const deadline = Date.now() + timeoutMs;
      while ((retries.length > 0 || inFlight > 0) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      clearInterval(timer);
      timer = undefined;
      return { unanswered: retries.length + inFlight };
    },
  };
}
