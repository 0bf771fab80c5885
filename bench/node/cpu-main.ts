// `npm run bench:cpu`: only the CPU-per-event table of `npm run bench`, with no server, in seconds;
// then what the compact storage of bodies costs (bench/node/codec-cpu.ts).
import { buildPlan } from "../../scripts/simulate/plan";
import { secretsFromVars } from "../../scripts/simulate/secrets";
import { CARRIER_NAMES, type Delivery } from "../../scripts/simulate/types";
import { TEST_VARS } from "../../test/e2e/start-receiver";
import { measureCodec, printCodecTable } from "./codec-cpu";
import { measureCpu, printCpuTable } from "./cpu";

const secrets = secretsFromVars(TEST_VARS);
const env = { ...TEST_VARS, INPOST_ALLOWED_CIDRS: "91.216.25.0/24", MAX_BODY_BYTES: "524288" } as unknown as Env;
const sample: Record<string, Delivery[]> = {};
for (const c of CARRIER_NAMES) {
  sample[c] = buildPlan({
    count: 300,
    secrets,
    seed: 900 + CARRIER_NAMES.indexOf(c),
    retryShare: 0,
    carriers: [c],
  }).deliveries;
}
const rows = await measureCpu(sample, env);
printCpuTable(rows);
printCodecTable(measureCodec(sample));
