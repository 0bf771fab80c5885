import type { DownstreamReport } from "./downstream-health";
import { recordDownstream } from "./downstream-health";
import { type ForwardRecord, recordForwards } from "./record-forwards";
import { type Settled, type SettleTransition, settle } from "./settle";

export interface BatchClose {
  forwards: readonly ForwardRecord[];
  settled: Partial<Record<SettleTransition, Settled[]>>;
  /** Present when something was sent: the downstream's streak moves. */
  downstream?: { report: DownstreamReport; holdAfter: number };
  /** Statements of other features that belong in the same round trip (the shipments). */
  also?: readonly D1PreparedStatement[];
}

/**
 * The consumer batch's second D1 round trip, one `db.batch`: every forward attempt logged, each
 * event's transition, the downstream's streak, and the shipments. Nothing to write, no trip.
 */
export async function closeBatch(db: D1Database, close: BatchClose, at: string): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  if (close.forwards.length > 0) statements.push(recordForwards(db, close.forwards));
  for (const [name, events] of Object.entries(close.settled) as [SettleTransition, Settled[]][]) {
    if (events.length > 0) statements.push(settle(db, name, events, at));
  }
  if (close.downstream) {
    statements.push(recordDownstream(db, close.downstream.report, close.downstream.holdAfter, at));
  }
  statements.push(...(close.also ?? []));
  if (statements.length > 0) await db.batch(statements);
}
