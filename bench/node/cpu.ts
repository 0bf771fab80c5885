// CPU time per event of check + parse + validate + normalize, per carrier, against JSON.parse of
// the same bodies alone, measured in this process with the receiver's own modules (bundled from
// src/ by scripts/run.mjs). Node and workerd share V8, so the ratio carries over; the absolute
// figures are this machine's.

import type { Delivery } from "../../scripts/simulate/types";
import type { Carrier } from "../../src/carriers/carrier";
import { carriers } from "../../src/carriers/index";
import { parseJsonBody } from "../../src/webhooks/parse-json-body";
import { validatePayload } from "../../src/webhooks/validate-payload";

export interface CpuRow {
  carrier: string;
  /** The sender check alone (secret compare, HMAC or address range). */
  checkUs: number;
  pipelineUs: number;
  parseUs: number;
  ratio: number;
  bodyBytes: number;
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function check(carrier: Carrier<unknown>, d: Delivery, raw: Uint8Array, env: Env): Promise<void> {
  const headers = new Headers(d.headers);
  const ctx = { url: new URL(`http://bench.local${d.path}`), headers, clientIp: headers.get("cf-connecting-ip") };
  let verdict = await carrier.verifySender(ctx, env);
  if (verdict === "ok" && carrier.verifyBody) verdict = await carrier.verifyBody(ctx, raw, env);
  if (verdict !== "ok") throw new Error(`${carrier.name}: sender check failed (${verdict})`);
}

async function pipeline(carrier: Carrier<unknown>, d: Delivery, raw: Uint8Array, env: Env): Promise<void> {
  await check(carrier, d, raw, env);
  const { value } = parseJsonBody(raw);
  const v = validatePayload(carrier.schema, value);
  if (!v.ok) throw new Error(`${carrier.name}: ${JSON.stringify(v.issues[0])}`);
  carrier.normalize(v.output);
  carrier.eventKey(v.output);
}

export async function measureCpu(
  byCarrier: Record<string, Delivery[]>,
  env: Env,
  iterations = 10_000,
  rounds = 5,
): Promise<CpuRow[]> {
  const rows: CpuRow[] = [];
  for (const [name, deliveries] of Object.entries(byCarrier)) {
    const carrier = carriers[name as keyof typeof carriers] as Carrier<unknown>;
    const bodies = deliveries.map((d) => ({ d, raw: new TextEncoder().encode(d.body) }));
    const n = bodies.length;
    const at = (i: number) => bodies[i % n] as (typeof bodies)[number];
    // Warm up all three, so the JIT has settled before anything is timed.
    for (let i = 0; i < 2000; i++) {
      await pipeline(carrier, at(i).d, at(i).raw, env);
      await check(carrier, at(i).d, at(i).raw, env);
      JSON.parse(at(i).d.body);
    }
    // Interleaved rounds, median of each: one slow moment (GC, another process) moves one round only.
    const pipelineRuns: number[] = [];
    const checkRuns: number[] = [];
    const parseRuns: number[] = [];
    let sink = 0;
    for (let r = 0; r < rounds; r++) {
      let t0 = cpuMicros();
      for (let i = 0; i < iterations; i++) await pipeline(carrier, at(i).d, at(i).raw, env);
      pipelineRuns.push((cpuMicros() - t0) / iterations);
      t0 = cpuMicros();
      for (let i = 0; i < iterations; i++) await check(carrier, at(i).d, at(i).raw, env);
      checkRuns.push((cpuMicros() - t0) / iterations);
      t0 = cpuMicros();
      for (let i = 0; i < iterations; i++) sink += JSON.parse(at(i).d.body) ? 1 : 0;
      parseRuns.push((cpuMicros() - t0) / iterations);
    }
    if (sink < 0) console.log(sink);
    const pipelineUs = median(pipelineRuns);
    const checkUs = median(checkRuns);
    const parseUs = median(parseRuns);
    const bodyBytes = Math.round(bodies.reduce((s, b) => s + b.raw.length, 0) / n);
    rows.push({ carrier: name, checkUs, pipelineUs, parseUs, ratio: pipelineUs / parseUs, bodyBytes });
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The CPU table as Markdown, as `npm run bench` and `npm run bench:cpu` print it. */
export function printCpuTable(rows: CpuRow[]): void {
  console.log(
    "| carrier | body bytes | pipeline µs | of which sender check µs | JSON.parse µs | ratio | ratio without the check |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const rest = (r.pipelineUs - r.checkUs) / r.parseUs;
    console.log(
      `| ${r.carrier} | ${r.bodyBytes} | ${r.pipelineUs.toFixed(1)} | ${r.checkUs.toFixed(1)} | ${r.parseUs.toFixed(1)} | ${r.ratio.toFixed(1)}x | ${rest.toFixed(1)}x |`,
    );
  }
}
