// The order `npm run deploy` applies a release in, read from scripts/deploy.mjs itself: it is run
// against a stand-in `wrangler` first on PATH that records each call and answers as an account
// where the queues and the database already exist (a later deploy, not the first). So
// upgrade-check replays whatever order the deploy script has, never a copy of it.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export type DeployStep = { kind: "migrate" } | { kind: "deploy"; worker: "app" | "consumer"; config: string };

/** The Worker each config of this checkout deploys. */
const WORKER_OF_CONFIG: Record<string, "app" | "consumer"> = {
  "wrangler.toml": "app",
  "wrangler.consumer.toml": "consumer",
};

export function deploySteps(checkout = process.cwd()): DeployStep[] {
  const dir = mkdtempSync(join(tmpdir(), "parcelhook-deploy-order-"));
  const log = join(dir, "calls.log");
  try {
    writeFileSync(join(dir, "wrangler"), `#!/usr/bin/env bash\necho "$*" >> "${log}"\nexit 0\n`);
    chmodSync(join(dir, "wrangler"), 0o755);
    const run = spawnSync(process.execPath, [resolve(checkout, "scripts/deploy.mjs")], {
      cwd: checkout,
      encoding: "utf8",
      env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}` },
    });
    if (run.status !== 0) throw new Error(`scripts/deploy.mjs against a recording wrangler failed:\n${run.stderr}`);
    const steps: DeployStep[] = [];
    for (const call of readFileSync(log, "utf8").trim().split("\n")) {
      if (call.startsWith("d1 migrations apply")) steps.push({ kind: "migrate" });
      const deployed = /^deploy -c (\S+)/.exec(call)?.[1];
      if (deployed) {
        const worker = WORKER_OF_CONFIG[deployed];
        if (!worker) throw new Error(`scripts/deploy.mjs deploys ${deployed}, which upgrade-check does not know`);
        steps.push({ kind: "deploy", worker, config: deployed });
      }
    }
    if (steps.filter((s) => s.kind === "migrate").length !== 1 || steps.length !== 3)
      throw new Error(`unexpected deploy steps: ${JSON.stringify(steps)}`);
    return steps;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function describeStep(step: DeployStep): string {
  return step.kind === "migrate" ? "apply this checkout's migrations" : `deploy ${step.config} (${step.worker})`;
}
