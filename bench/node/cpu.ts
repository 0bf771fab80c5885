// CPU time per event of check + parse + validate + normalize, per registered carrier, against
// JSON.parse of the same bodies alone, measured in this Node process with the receiver's own modules
// (bundled from src/ by scripts/run.mjs; the timed steps are bench/cpu-steps.ts). Each carrier is
// measured on its first fixture (test/fixtures/carriers/<name>/), signed as its vendor or its folder
// signed it. Node and workerd share V8, so the parse, validate and normalize figures carry over, but
// the sender checks do not: Node's `crypto.subtle` hands every call to its thread pool (tens of µs
// per HMAC), where workerd runs BoringSSL in the isolate's own thread. The checks' cost where they
// run is `npm run bench:cpu:workerd` (bench/node/cpu-workerd.ts).

import { carrierFixtures } from "../../scripts/lib/carrier-fixtures";
import { REGISTRY } from "../../src/carriers";
import { isPullSource } from "../../src/carriers/pull-kit";
import { atFixtureClock, type CpuInput, checkStep, pipelineStep, prepareCase } from "../cpu-steps";

export type { CpuInput } from "../cpu-steps";

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

export async function measureCpu(inputs: CpuInput[], iterations = 10_000, rounds = 5): Promise<CpuRow[]> {
  const rows: CpuRow[] = [];
  for (const input of inputs) {
    const c = prepareCase(input);
    const row = await atFixtureClock(input, async () => {
      // Warm up all three, so the JIT has settled before anything is timed.
      for (let i = 0; i < 2000; i++) {
        await pipelineStep(c);
        await checkStep(c);
        JSON.parse(input.body);
      }
      // Interleaved rounds, median of each: one slow moment (GC, another process) moves one round only.
      const pipelineRuns: number[] = [];
      const checkRuns: number[] = [];
      const parseRuns: number[] = [];
      let sink = 0;
      for (let r = 0; r < rounds; r++) {
        let t0 = cpuMicros();
        for (let i = 0; i < iterations; i++) await pipelineStep(c);
        pipelineRuns.push((cpuMicros() - t0) / iterations);
        t0 = cpuMicros();
        for (let i = 0; i < iterations; i++) await checkStep(c);
        checkRuns.push((cpuMicros() - t0) / iterations);
        t0 = cpuMicros();
        for (let i = 0; i < iterations; i++) sink += JSON.parse(input.body) ? 1 : 0;
        parseRuns.push((cpuMicros() - t0) / iterations);
      }
      if (sink < 0) console.log(sink);
      const pipelineUs = median(pipelineRuns);
      const checkUs = median(checkRuns);
      const parseUs = median(parseRuns);
      return {
        carrier: c.carrier.name,
        label: input.label,
        checkUs,
        pipelineUs,
        parseUs,
        ratio: pipelineUs / parseUs,
        bodyBytes: c.raw.length,
      };
    });
    rows.push(row);
  }
  return rows;
}

export function median(values: number[]): number {
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
