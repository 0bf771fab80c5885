// `npm run bench:cpu [-- --all-rows]`: only the CPU-per-event table of `npm run bench`, with no server, in seconds;
// then what the compact storage of bodies costs (bench/node/codec-cpu.ts).
import { buildPlan } from "../../scripts/simulate/plan";
import { settingsFromVars } from "../../scripts/simulate/secrets";
import { SIM_NAMES } from "../../scripts/simulate/sims";
import type { Delivery } from "../../scripts/simulate/types";
import { TEST_VARS } from "../../test/e2e/start-receiver";
import { measureCodec, printCodecTable } from "./codec-cpu";
import { fixtureInputs, measureCpu, printCheckLines, printCpuTable } from "./cpu";

const settings = settingsFromVars(TEST_VARS);
const inputs = fixtureInputs(TEST_VARS, true);
const rows = await measureCpu(inputs);
const firsts = new Set<string>();
const main = rows.filter((r) => !firsts.has(r.carrier) && firsts.add(r.carrier));
// `-- --all-rows`: every check scheme of a route as a full row (e.g. Shippo's HMAC beside its URL token).
if (process.argv.includes("--all-rows")) printCpuTable(rows);
else {
  printCpuTable(main);
  printCheckLines(rows.filter((r) => !main.includes(r)));
}
const sample: Record<string, Delivery[]> = {};
for (const [i, c] of SIM_NAMES.entries()) {
  sample[c] = buildPlan({ count: 300, settings, seed: 900 + i, retryShare: 0, carriers: [c] }).deliveries;
}
printCodecTable(measureCodec(sample));
