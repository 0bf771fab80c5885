// `npm run bench:cpu:workerd -- [--port 8879] [--n 20000] [--rounds 7] [--all-rows] [--node] [--carriers a,b]`:
// CPU per event where the receiver runs, in workerd: the sender check alone, check + parse +
// validate + normalize (bench/cpu-steps.ts, the steps `npm run bench:cpu` times in Node), and
// `JSON.parse` of the same body, in the same Worker (bench/cpu-worker.ts, one workerd through
// Miniflare's API, no bindings). A Worker's clocks stand still while it computes, so it is timed
// from outside: each figure is the CPU time workerd's threads spent on one request running the step
// n times (read from /proc/<pid>/task/*/schedstat, in ns, so time spent waiting for a core on a busy
// machine is not counted; the wall clock where /proc is missing), minus the same request running no
// step, divided by n. The four requests alternate within a round (their order rotating), and each
// figure is the median over the rounds. `--node` adds the check as this Node process measures it, for
// comparison. It prints figures and ratios; it never fails on a slow machine.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { assertPortFree } from "../../scripts/lib/port-free";
import { TEST_VARS } from "../../test/e2e/start-receiver";
import type { CpuInput } from "../cpu-steps";
import { bundleWorker } from "./bundle-worker";
import { fixtureInputs, measureCpu, median } from "./cpu";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8879" },
    n: { type: "string", default: "20000" },
    rounds: { type: "string", default: "7" },
    "all-rows": { type: "boolean", default: false },
    node: { type: "boolean", default: false },
    carriers: { type: "string" },
  },
});
const port = Number(values.port);
const n = Number(values.n);
const rounds = Number(values.rounds);
const only = values.carriers?.split(",");

// The first fixture of each carrier, or with --all-rows every fixture with another check scheme.
const inputs = fixtureInputs(TEST_VARS, values["all-rows"]).filter((i) => !only || only.includes(i.carrier));

const app = unstable_readConfig({ config: "wrangler.toml" });
await assertPortFree(port);
const out = mkdtempSync(join(tmpdir(), "parcelhook-bench-"));
const scriptPath = join(out, "cpu-worker.js");
await bundleWorker("bench/cpu-worker.ts", scriptPath, app);
const mf = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port,
    scriptPath,
    modules: true,
    modulesRoot: out,
    compatibilityDate: app.compatibility_date,
    compatibilityFlags: app.compatibility_flags,
    log: new Log(LogLevel.NONE),
    logRequests: false,
    handleStructuredLogs: () => {},
  }),
);

/** The workerd process Miniflare spawned (a child of this process), or null off Linux. */
function workerdPid(): number | null {
  try {
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
      const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim().split(/\s+/);
      for (const child of children) {
        if (child && readFileSync(`/proc/${child}/comm`, "utf8").trim() === "workerd") return Number(child);
      }
    }
  } catch {}
  return null;
}

/** CPU time of all of the process's threads so far, in µs (schedstat's first field is ns on a CPU). */
function threadsCpuUs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return ns / 1000;
}

type What = "check" | "pipeline" | "parse" | "hmac" | "empty";
const STEPS: What[] = ["empty", "parse", "check", "pipeline", "hmac"];

interface WorkerdRow {
  input: CpuInput;
  bodyBytes: number;
  checkUs: number;
  pipelineUs: number;
  parseUs: number;
  hmacUs: number;
  nodeCheckUs?: number;
}

try {
  const base = (await mf.ready).toString().replace(/\/$/, "");
  const pid = workerdPid();
  const clock = pid === null ? () => performance.now() * 1000 : () => threadsCpuUs(pid);
  const timed = async (what: What, input: CpuInput, count: number): Promise<number> => {
    const t0 = clock();
    const res = await fetch(`${base}/__cpu?what=${what}&n=${count}`, { method: "POST", body: JSON.stringify(input) });
    const text = await res.text();
    const us = clock() - t0;
    if (!res.ok) throw new Error(`${input.carrier} (${input.label}) ${what}: ${res.status} ${text}`);
    return us;
  };

  const rows: WorkerdRow[] = [];
  for (const input of inputs) {
    // Warm up every step, so the JIT has settled before anything is timed.
    for (const what of STEPS) await timed(what, input, Math.min(n, 5000));
    const per: Record<Exclude<What, "empty">, number[]> = { check: [], pipeline: [], parse: [], hmac: [] };
    for (let r = 0; r < rounds; r++) {
      // The order rotates per round, so no step always follows the same one.
      const order = STEPS.map((_, i) => STEPS[(i + r) % STEPS.length] as What);
      const us: Partial<Record<What, number>> = {};
      for (const what of order) us[what] = await timed(what, input, n);
      for (const what of ["check", "pipeline", "parse", "hmac"] as const) {
        per[what].push(((us[what] as number) - (us.empty as number)) / n);
      }
    }
    rows.push({
      input,
      bodyBytes: new TextEncoder().encode(input.body).length,
      checkUs: median(per.check),
      pipelineUs: median(per.pipeline),
      parseUs: median(per.parse),
      hmacUs: median(per.hmac),
    });
  }
  if (values.node) {
    const node = await measureCpu(inputs);
    for (const [i, row] of rows.entries()) row.nodeCheckUs = node[i]?.checkUs;
  }

  const measure = pid === null ? "wall clock" : `workerd's CPU time (pid ${pid})`;
  console.log(
    `CPU per event in workerd (${measure}; n=${n} per request, median of ${rounds} rounds, the empty request subtracted):`,
  );
  const columns: [string, (r: WorkerdRow) => string][] = [
    ["carrier (fixture)", (r) => `${r.input.carrier} (${r.input.label})`],
    ["body bytes", (r) => String(r.bodyBytes)],
    ["check µs", (r) => r.checkUs.toFixed(2)],
    ...(values.node ? [["check in Node µs", (r: WorkerdRow) => r.nodeCheckUs?.toFixed(1) ?? "-"] as const] : []),
    ["check + parse + validate + normalize µs", (r) => r.pipelineUs.toFixed(2)],
    ["JSON.parse µs", (r) => r.parseUs.toFixed(2)],
    ["one bare HMAC verify µs", (r) => r.hmacUs.toFixed(2)],
    ["check / parse", (r) => `${(r.checkUs / r.parseUs).toFixed(1)}x`],
    ["bare HMAC / parse", (r) => `${(r.hmacUs / r.parseUs).toFixed(1)}x`],
    ["with the check / parse", (r) => `${(r.pipelineUs / r.parseUs).toFixed(1)}x`],
    ["without the check / parse", (r) => `${((r.pipelineUs - r.checkUs) / r.parseUs).toFixed(1)}x`],
  ];
  console.log(`| ${columns.map(([head]) => head).join(" | ")} |`);
  console.log(
    `|---|${columns
      .slice(1)
      .map(() => "---:|")
      .join("")}`,
  );
  for (const r of rows) console.log(`| ${columns.map(([, cell]) => cell(r)).join(" | ")} |`);
} finally {
  await mf.dispose();
  rmSync(out, { recursive: true, force: true });
}
