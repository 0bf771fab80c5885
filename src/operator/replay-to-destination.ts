import { alertBulkReplay } from "../alerts/alert-bulk-replay";
import { audited } from "../audit/audited";
import type { Actor } from "../auth/actor";
import { readConfig } from "../config";
import { replayEvents } from "../delivery";
import { type Filter, matchesFilter } from "../destinations";
import { selectDestinationRow } from "../destinations/db/select-destination-rows";
import { namesAFilter, noFilter } from "./bulk-replay";
import { nextCursor } from "./cursor";
import { listDestinationEvents } from "./db/list-destination-events";
import { DEFAULT_ID, noSuchDestination } from "./list-destinations";
import type { BulkReplayRequest } from "./query-schemas";
import type { Replayed } from "./response-schemas";

/**
 * Replays the events a filter lists (as the bulk replay does, at most `limit` per call, with the
 * same "name a real filter" rule) to one destination only; `state` is that destination's delivery
 * state. Events outside the destination's own filter are skipped: it never asked for them. 404 for
 * an unknown destination (and `default` without FORWARD_URL).
 */
export async function replayToDestination(
  env: Env,
  id: string,
  request: BulkReplayRequest,
  by: Actor,
  ctx?: Pick<ExecutionContext, "waitUntil">,
): Promise<Replayed> {
  const { limit, cursor, ...filter } = request;
  const entry = { actor: by, action: "destination.replay", target: id, changes: { ...filter } } as const;
  const result = await audited(env.DB, entry, async (audit) => {
    const row =
      id === DEFAULT_ID && readConfig(env).forwardUrl === null ? null : await selectDestinationRow(env.DB, id);
    if (!row) throw noSuchDestination();
    if (!namesAFilter(filter)) throw noFilter();
    const page = await listDestinationEvents(env.DB, filter, row.no, { limit, cursor });
    const own = row.filter === null ? null : (JSON.parse(row.filter) as Filter);
    const ids = page.rows.filter((r) => matchesFilter(r, own)).map((r) => r.id);
    // Only this destination's deliveries are sent again, and with `state` only those in that state.
    const options = {
      destinationNo: row.no,
      state: filter.state,
      audit: (replayed: readonly string[]) => {
        audit.note({ replayed: replayed.length });
        return audit.statement();
      },
    };
    const replayed = ids.length === 0 ? [] : await replayEvents(env, ids, options);
    audit.note({ replayed: replayed.length });
    return { replayed: replayed.length, next_cursor: nextCursor(page, (r) => r.seq) };
  });
  if (cursor === undefined) {
    const more = result.next_cursor !== null;
    alertBulkReplay(env, ctx, { by, filter, replayed: result.replayed, more, destination: id });
  }
  return result;
}
