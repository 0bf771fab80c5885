import { HOLD_AFTER_FAILURES, REFUSING_AFTER } from "../hold-policy";
import { aggregateEvents } from "./aggregate-events";
import { type HealthReport, recordHealth } from "./destination-health";
import { countForwards, type ForwardRecord, recordForwards } from "./record-forwards";
import { insertMatched, type Settled, type SettleTransition, settle } from "./settle";

export interface BatchClose {
  forwards: readonly ForwardRecord[];
  /** New deliveries (the `match` transition), inserted before the moves. */
  matched: readonly { seq: number; no: number; gen: number }[];
  settled: Partial<Record<SettleTransition, Settled[]>>;
  /**
   * Events at first sight whose matching this batch decided (a message naming every destination):
   * `seen_at` is set here, in the transaction that inserts their deliveries, never before.
   */
  seen: readonly number[];
  /** The events whose deliveries moved (or that matched none): their list state is recomputed. */
  events: readonly number[];
  health: readonly HealthReport[];
  /** Statements of other features that belong in the same round trip (the shipments). */
  also?: readonly D1PreparedStatement[];
}

/**
 * The consumer batch's second D1 round trip, one `db.batch` whatever the number of events and
 * destinations: every forward attempt logged, the new deliveries, each delivery's transition (one
 * statement per transition), first sight, the events' list state, each destination's streaks, and
 * the shipments. One `db.batch` is one transaction: first sight and the deliveries it matched
 * commit together or not at all.
 */
export async function closeBatch(db: D1Database, close: BatchClose, at: string): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  if (close.forwards.length > 0) statements.push(recordForwards(db, close.forwards), countForwards(db, close.forwards));
  if (close.matched.length > 0) statements.push(insertMatched(db, close.matched, at));
  for (const [name, list] of Object.entries(close.settled) as [SettleTransition, Settled[]][]) {
    if (list.length > 0) statements.push(settle(db, name, list, at));
  }
  if (close.seen.length > 0) statements.push(markSeen(db, close.seen, at));
  if (close.events.length > 0) statements.push(aggregateEvents(db, close.events, at));
  if (close.health.length > 0) statements.push(recordHealth(db, close.health, HOLD_AFTER_FAILURES, REFUSING_AFTER, at));
  statements.push(...(close.also ?? []));
  if (statements.length > 0) await db.batch(statements);
}

/** First sight: the sweep stops re-sending these events; only with their matched deliveries. */
function markSeen(db: D1Database, seqs: readonly number[], at: string): D1PreparedStatement {
  return db
    .prepare("UPDATE events SET seen_at = ?2 WHERE seq IN (SELECT value FROM json_each(?1)) AND seen_at IS NULL")
    .bind(JSON.stringify(seqs), at);
}
