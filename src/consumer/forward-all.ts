/**
 * Forwards in flight per invocation: a Worker invocation keeps 6 connections waiting for response
 * headers and queues the rest, while their timers already run (Cloudflare's Workers limits,
 * "simultaneous open connections"). Starting no more than that means each timeout starts when its
 * request is actually sent.
 */
export const MAX_FORWARDS_IN_FLIGHT = 6;

export interface ForwardJob<R> {
  destination: number;
  run(): Promise<R>;
}

export interface FairOptions<R> {
  limit?: number;
  /** Asked before each start: a destination found down or refusing meanwhile gets no more requests. */
  holding(destination: number): boolean;
  /** A job that was not started because its destination is held. */
  onHeld(job: ForwardJob<R>): void;
  /** A finished job, in the order they finish. */
  onDone(job: ForwardJob<R>, result: R): void;
}

/**
 * Runs the batch's forwards at most `limit` at once, spread fairly across destinations: each
 * destination with work gets at most its share of the slots (limit / destinations with work,
 * rounded up) and they take turns, so a slow destination holds at most its share and the others
 * keep going. Before each start it asks whether the destination is held (its streak crossed the
 * threshold during this batch): then the rest of its jobs are not sent at all.
 */
export function forwardFairly<R>(jobs: readonly ForwardJob<R>[], opts: FairOptions<R>): Promise<void> {
  const limit = opts.limit ?? MAX_FORWARDS_IN_FLIGHT;
  const pending = new Map<number, ForwardJob<R>[]>();
  for (const j of jobs) pending.set(j.destination, [...(pending.get(j.destination) ?? []), j]);
  const running = new Map<number, number>();
  const order = [...pending.keys()];
  let turn = 0;
  let inFlight = 0;
  return new Promise<void>((resolve, reject) => {
    const active = () => order.filter((d) => (pending.get(d)?.length ?? 0) > 0 || (running.get(d) ?? 0) > 0).length;
    const pump = () => {
      while (inFlight < limit) {
        const share = Math.max(1, Math.ceil(limit / Math.max(1, active())));
        let started = false;
        for (let k = 0; k < order.length && !started; k++) {
          const d = order[(turn + k) % order.length] as number;
          const queue = pending.get(d) ?? [];
          if (queue.length === 0) continue;
          if (opts.holding(d)) {
            for (const j of queue.splice(0)) opts.onHeld(j);
            continue;
          }
          if ((running.get(d) ?? 0) >= share) continue;
          const job = queue.shift() as ForwardJob<R>;
          turn = (turn + k + 1) % order.length;
          running.set(d, (running.get(d) ?? 0) + 1);
          inFlight++;
          started = true;
          job.run().then(
            (result) => {
              inFlight--;
              running.set(d, (running.get(d) ?? 1) - 1);
              opts.onDone(job, result);
              pump();
            },
            (err) => reject(err),
          );
        }
        if (!started) break;
      }
      if (inFlight === 0 && [...pending.values()].every((q) => q.length === 0)) resolve();
    };
    pump();
  });
}
