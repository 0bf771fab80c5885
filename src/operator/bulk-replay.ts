import { alertBulkReplay } from "../alerts/alert-bulk-replay";
import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { replayEvents } from "../delivery";
import { ApiError } from "../errors/api-error";
import { nextCursor } from "./cursor";
import { listEventIds } from "./db/list-events";
import { type BulkReplayRequest, EVENT_FILTERS, type EventFilter } from "./query-schemas";
import type { Replayed } from "./response-schemas";

/** Whether a request names a real filter: `limit` and `cursor` page, they do not filter. */
export function namesAFilter(filter: EventFilter): boolean {
  return EVENT_FILTERS.some((name) => filter[name] !== undefined);
}

/**
 * Replays every event matching a filter, newest first, at most `limit` per call; the answer's
 * `next_cursor` continues. Without a real filter it refuses (400), for the API and the dashboard
 * alike: an empty filter would replay the newest 500 events of every carrier.
 */
export async function bulkReplay(
  env: Env,
  request: BulkReplayRequest,
  by: Actor,
  ctx?: Pick<ExecutionContext, "waitUntil">,
): Promise<Replayed> {
  const { limit, cursor, ...filter } = request;
  const result = await audited(
    env.DB,
    { actor: by, action: "events.replay", target: null, changes: { ...filter } },
    async (audit) => {
      if (!namesAFilter(filter)) throw noFilter();
      const page = await listEventIds(env.DB, filter, { limit, cursor });
      audit.note({ replayed: page.rows.length });
      // With `state`, only the deliveries in that state are sent again (a dead delivery to one
      // destination is not re-sent to the others).
      await replayEvents(
        env,
        page.rows.map((r) => r.id),
        { state: filter.state, audit: () => audit.statement() },
      );
      return { replayed: page.rows.length, next_cursor: nextCursor(page, (r) => r.seq) };
    },
  );
  // A replay's first page alerts, naming who; its continuations (a cursor) are the same replay.
  if (cursor === undefined) {
    alertBulkReplay(env, ctx, { by, filter, replayed: result.replayed, more: result.next_cursor !== null });
  }
  return result;
}

/** 400: a bulk replay without a real filter would replay the newest events of every carrier. */
export function noFilter(): ApiError {
  return new ApiError("invalid_request", [
    { path: "$", message: "Name at least one filter (to replay everything, pass `since`)." },
  ]);
}
