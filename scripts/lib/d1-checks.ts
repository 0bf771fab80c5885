import type { Sink } from "../sink/start-sink";
import type { LocalD1 } from "./local-d1";

/**
 * Shipments whose stored status is not the status of their newest status-bearing event (carrier time,
 * then the later stored: since migrations/0011 a shipment names its event by seq).
 */
export function shipmentMismatches(d1: LocalD1) {
  return d1.all<{ carrier: string; tracking_number: string; expected: string; actual: string | null }>(
    `WITH ranked AS (
       SELECT carrier, tracking_number, status, seq,
              ROW_NUMBER() OVER (PARTITION BY carrier, tracking_number ORDER BY occurred_at DESC, seq DESC) AS rn
       FROM events WHERE status IS NOT NULL AND tracking_number IS NOT NULL)
     SELECT r.carrier, r.tracking_number, r.status AS expected, s.status AS actual
     FROM ranked r LEFT JOIN shipments s ON s.carrier = r.carrier AND s.tracking_number = r.tracking_number
     WHERE r.rn = 1 AND (s.status IS NULL OR s.status <> r.status OR s.last_event_seq <> r.seq)`,
  );
}

export function shipmentCount(d1: LocalD1): number {
  return d1.one<{ n: number }>("SELECT count(*) AS n FROM shipments")?.n ?? 0;
}

export function stateCounts(d1: LocalD1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of d1.all<{ state: string; n: number }>("SELECT state, count(*) AS n FROM events GROUP BY state"))
    out[r.state] = r.n;
  return out;
}

/** What the sink got, against the events D1 holds. */
export function sinkVersusD1(d1: LocalD1, sink: Sink, expectedSql = "SELECT id FROM events") {
  const ids = new Set(d1.all<{ id: string }>(expectedSql).map((r) => r.id));
  const ok = sink.acceptedById();
  const missing = [...ids].filter((id) => !ok.has(id));
  const twice = [...ok].filter(([, n]) => n > 1).map(([id, n]) => ({ id, n }));
  const unknown = [...ok.keys()].filter((id) => !ids.has(id));
  const badSignatures = sink.received.filter((r) => !r.signatureValid).length;
  const idMismatch = sink.received.filter((r) => r.bodyId !== r.webhookId).length;
  return { stored: ids.size, deliveredDistinct: ok.size, missing, twice, unknown, badSignatures, idMismatch };
}
