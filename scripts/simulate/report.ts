import type { SendResult } from "./send";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** A one-line progress bar on a terminal; a line every 10% otherwise (CI logs). */
export function progress(total: number, label = "sending") {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  const t0 = performance.now();
  return {
    tick(done: number) {
      const frac = total === 0 ? 1 : done / total;
      const rate = done / ((performance.now() - t0) / 1000);
      if (tty) {
        if (done % 25 !== 0 && done !== total) return;
        const width = 30;
        const filled = Math.round(frac * width);
        process.stderr.write(
          `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${rate.toFixed(0)}/s `,
        );
        if (done === total) process.stderr.write("\n");
      } else {
        const tenth = Math.floor(frac * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          process.stderr.write(`${label}: ${done}/${total} (${rate.toFixed(0)}/s)\n`);
        }
      }
    },
  };
}

export interface Summary {
  sent: number;
  accepted: number;
  duplicates: number;
  byStatus: Record<string, number>;
  badExpected: number;
  badUnexpected: { label: string; expected: number; got: number; outcome: string }[];
  /** Valid or retried deliveries that got anything but 200. */
  validRefused: { label: string; carrier: string; status: number; outcome: string }[];
  serverErrors: number;
  seconds: number;
  latency: { p50: number; p90: number; p99: number; max: number };
}

export function summarize(results: SendResult[], seconds: number): Summary {
  const byStatus: Record<string, number> = {};
  let accepted = 0;
  let duplicates = 0;
  let serverErrors = 0;
  let badExpected = 0;
  const badUnexpected: Summary["badUnexpected"] = [];
  const validRefused: Summary["validRefused"] = [];
  for (const r of results) {
    const key = r.status === 200 ? `200 ${r.outcome}` : `${r.status} ${r.outcome}`;
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    if (r.status >= 500 || r.status === 0) serverErrors++;
    if (r.status === 200 && r.outcome === "accepted") accepted++;
    if (r.status === 200 && r.outcome === "duplicate") duplicates++;
    if (r.delivery.kind === "bad") {
      if (r.status === r.delivery.expectStatus) badExpected++;
      else
        badUnexpected.push({
          label: `${r.delivery.carrier} ${r.delivery.label}`,
          expected: r.delivery.expectStatus ?? 0,
          got: r.status,
          outcome: r.outcome,
        });
    } else if (r.status !== 200) {
      validRefused.push({ label: r.delivery.label, carrier: r.delivery.carrier, status: r.status, outcome: r.outcome });
    }
  }
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    sent: results.length,
    accepted,
    duplicates,
    byStatus,
    badExpected,
    badUnexpected,
    validRefused,
    serverErrors,
    seconds,
    latency: { p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: ms[ms.length - 1] ?? 0 },
  };
}

export function printSummary(s: Summary, log: (line: string) => void = console.log): void {
  log(`sent        ${s.sent} in ${s.seconds.toFixed(1)} s (${(s.sent / s.seconds).toFixed(0)} req/s)`);
  log(`accepted    ${s.accepted}`);
  log(`duplicates  ${s.duplicates}`);
  log("answers by status and code:");
  for (const [k, n] of Object.entries(s.byStatus).sort()) log(`  ${k.padEnd(36)} ${n}`);
  if (s.badExpected + s.badUnexpected.length > 0) {
    log(`bad deliveries answered as the contract says: ${s.badExpected}/${s.badExpected + s.badUnexpected.length}`);
    for (const b of dedupe(
      s.badUnexpected.map((b) => `  UNEXPECTED ${b.label}: expected ${b.expected}, got ${b.got} ${b.outcome}`),
    ))
      log(b);
  }
  if (s.validRefused.length > 0) {
    log(`valid deliveries refused: ${s.validRefused.length}`);
    for (const v of dedupe(s.validRefused.map((v) => `  ${v.carrier} ${v.label}: ${v.status} ${v.outcome}`)).slice(
      0,
      15,
    ))
      log(v);
  }
  const f = (n: number) => `${n.toFixed(1)} ms`;
  log(`latency     p50 ${f(s.latency.p50)}  p90 ${f(s.latency.p90)}  p99 ${f(s.latency.p99)}  max ${f(s.latency.max)}`);
}

function dedupe(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${l} (x${n})` : l));
}
