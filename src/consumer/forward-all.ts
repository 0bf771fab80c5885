import pLimit from "p-limit";
import type { NormalizedEvent } from "../events/normalized-event";
import { type ForwardOutcome, type ForwardTarget, forwardEvent } from "./forward-event";

/**
 * Forwards in flight per invocation: a Worker invocation keeps 6 connections waiting for response
 * headers and queues the rest, while their timers already run (Cloudflare's Workers limits,
 * "simultaneous open connections"). Starting no more than that means each timeout starts when its
 * request is actually sent.
 */
export const MAX_FORWARDS_IN_FLIGHT = 6;

/** Forwards every event, at most MAX_FORWARDS_IN_FLIGHT at once; outcomes in the order they finished. */
export async function forwardAll(events: readonly NormalizedEvent[], target: ForwardTarget): Promise<ForwardOutcome[]> {
  const limit = pLimit(MAX_FORWARDS_IN_FLIGHT);
  const finished: ForwardOutcome[] = [];
  await Promise.all(
    events.map((event) =>
      limit(async () => {
        finished.push(await forwardEvent(event, target));
      }),
    ),
  );
  return finished;
}
