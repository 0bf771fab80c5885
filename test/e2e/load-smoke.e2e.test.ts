// A small run of `npm run load` (400 deliveries instead of 10,000), so the load script and the
// checks it makes keep working as the receiver changes. The full run is `npm run load`.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

it("load smoke: 400 mixed deliveries, all stored once, forwarded once with valid signatures, shipments newest", () => {
  const run = spawnSync(
    process.execPath,
    [
      "scripts/run.mjs",
      "scripts/load.ts",
      "--count",
      "400",
      "--concurrency",
      "50",
      "--port",
      "8878",
      "--drain-timeout",
      "90",
    ],
    { encoding: "utf8", timeout: 110_000 },
  );
  const out = `${run.stdout}\n${run.stderr}`;
  expect(out).toContain("load: all checks passed");
  expect(out).not.toContain("FAIL ");
  expect(run.status, out.slice(-3000)).toBe(0);
}, 120_000);
