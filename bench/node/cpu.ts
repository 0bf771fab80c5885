// CPU time per event of check + parse + validate + normalize, per registered carrier, against
// JSON.parse of the same bodies alone, measured in this process with the receiver's own modules
// (bundled from src/ by scripts/run.mjs). Node and workerd share V8, so the ratio carries over; the
// absolute figures are this machine's. Each carrier is measured on its first fixture
// (test/fixtures/carriers/<name>/), signed as its vendor or its folder signed it.

import { carrierFixtures } from "../../scripts/lib/carrier-fixtures";
import { REGISTRY } from "../../src/carriers";
import type { AnyCarrier } from "../../src/carriers/kit";
import { isPullSource } from "../../src/carriers/pull-kit";
import { parseConfig } from "../../src/config";
import { parseJsonBody } from "../../src/webhooks/parse-json-body";
import { validatePayload } from "../../src/webhooks/validate-payload";

/** One request as the route sees it, and the env it is checked against. */
export interface CpuInput {
  carrier: string;
  /** What is measured: a fixture's name. */
  label: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  vars: Record<string, string>;
  /** The receiver's clock for a signature that dates itself (the fixture's `clock`), else null. */
  clock: string | null;
}

export interface CpuRow {
  carrier: string;
  label: string;
  /** The sender check alone (secret compare, HMAC, RSA or address range). */
  checkUs: number;
  pipelineUs: number;
  parseUs: number;
  ratio: number;
  bodyBytes: number;
}

/**
 * Every registered carrier's fixtures as CPU inputs, over `vars` (the fixture's own settings win):
 * the first fixture of each, or with `all`, every fixture whose checks differ from the first's
 * (another scheme of the same route, such as RSA beside HMAC).
 */
export function fixtureInputs(vars: Record<string, string>, all = false): CpuInput[] {
  // A pull source has no request to check (bench/node/pull-bench.ts measures it).
  return REGISTRY.filter((c) => !isPullSource(c)).flatMap((carrier) => {
    const fixtures = carrierFixtures(carrier.name);
    const scheme = (f: (typeof fixtures)[number]) =>
      JSON.stringify([Object.keys(f.fixture.settings).sort(), f.fixture.auth]);
    const first = fixtures[0];
    if (!first) return [];
    const chosen = all ? fixtures.filter((f, i) => i === 0 || scheme(f) !== scheme(first)) : [first];
    return chosen.map(({ file, fixture }) => {
      const query = new URLSearchParams(fixture.request.query ?? {}).toString();
      return {
        carrier: carrier.name,
        label: file.replace(/\.json$/, ""),
        path: `/webhooks/${carrier.name}${query ? `?${query}` : ""}`,
        headers: fixture.request.headers ?? {},
        body: fixture.request.body,
        vars: { ...vars, ...fixture.settings },
        clock: (fixture as { clock?: string }).clock ?? null,
      };
    });
  });
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function check(carrier: AnyCarrier, d: CpuInput, raw: Uint8Array, settings: unknown): Promise<void> {
  const headers = new Headers(d.headers);
  const ctx = { url: new URL(`http://bench.local${d.path}`), headers, clientIp: headers.get("cf-connecting-ip") };
  let verdict = await carrier.verifySender(ctx, settings);
  if (verdict === "ok" && carrier.verifyBody) verdict = await carrier.verifyBody(ctx, raw, settings);
  if (verdict !== "ok") throw new Error(`${carrier.name} (${d.label}): sender check failed (${verdict})`);
}

async function pipeline(carrier: AnyCarrier, d: CpuInput, raw: Uint8Array, settings: unknown): Promise<void> {
  await check(carrier, d, raw, settings);
  const { value } = parseJsonBody(raw);
  const v = validatePayload(carrier.schema, value);
  if (!v.ok) throw new Error(`${carrier.name} (${d.label}): ${JSON.stringify(v.issues[0])}`);
  carrier.normalize(v.output);
  carrier.eventKey(v.output);
}

export async function measureCpu(inputs: CpuInput[], iterations = 10_000, rounds = 5): Promise<CpuRow[]> {
  const rows: CpuRow[] = [];
  for (const input of inputs) {
    const carrier = REGISTRY.find((c) => c.name === input.carrier) as AnyCarrier | undefined;
    if (!carrier) throw new Error(`${input.carrier} is not a registered carrier`);
    const settings = (parseConfig(input.vars).carriers as Record<string, unknown>)[carrier.name];
    // A dated signature is measured at its fixture's clock, as the conformance test sends it.
    const realNow = Date.now;
    if (input.clock) {
      const at = Date.parse(input.clock);
      Date.now = () => at;
    }
    try {
      const raw = new TextEncoder().encode(input.body);
      // Warm up all three, so the JIT has settled before anything is timed.
      for (let i = 0; i < 2000; i++) {
        await pipeline(carrier, input, raw, settings);
        await check(carrier, input, raw, settings);
        JSON.parse(input.body);
      }
      // Interleaved rounds, median of each: one slow moment (GC, another process) moves one round only.
      const pipelineRuns: number[] = [];
      const checkRuns: number[] = [];
      const parseRuns: number[] = [];
      let sink = 0;
      for (let r = 0; r < rounds; r++) {
        let t0 = cpuMicros();
        for (let i = 0; i < iterations; i++) await pipeline(carrier, input, raw, settings);
        pipelineRuns.push((cpuMicros() - t0) / iterations);
        t0 = cpuMicros();
        for (let i = 0; i < iterations; i++) await check(carrier, input, raw, settings);
        checkRuns.push((cpuMicros() - t0) / iterations);
        t0 = cpuMicros();
        for (let i = 0; i < iterations; i++) sink += JSON.parse(input.body) ? 1 : 0;
        parseRuns.push((cpuMicros() - t0) / iterations);
      }
      if (sink < 0) console.log(sink);
      const pipelineUs = median(pipelineRuns);
      const checkUs = median(checkRuns);
      const parseUs = median(parseRuns);
      rows.push({
        carrier: carrier.name,
        label: input.label,
        checkUs,
        pipelineUs,
        parseUs,
        ratio: pipelineUs / parseUs,
        bodyBytes: raw.length,
      });
    } finally {
      Date.now = realNow;
    }
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
    "| carrier (fixture) | body bytes | with the sender check µs | without µs | of which sender check µs | JSON.parse µs | ratio | ratio without the check |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const rest = (r.pipelineUs - r.checkUs) / r.parseUs;
    console.log(
      `| ${r.carrier} (${r.label}) | ${r.bodyBytes} | ${r.pipelineUs.toFixed(1)} | ${(r.pipelineUs - r.checkUs).toFixed(1)} | ${r.checkUs.toFixed(1)} | ${r.parseUs.toFixed(1)} | ${r.ratio.toFixed(1)}x | ${rest.toFixed(1)}x |`,
    );
  }
}

/** Each other check scheme of a route (another fixture's), the sender check alone, one line each. */
export function printCheckLines(rows: CpuRow[]): void {
  for (const r of rows) {
    console.log(`  sender check alone, ${r.carrier} (${r.label}): ${r.checkUs.toFixed(1)} µs per event`);
  }
}
