// Bundles a Worker entry the way wrangler does for workerd (ESM, the workerd/worker export
// conditions, `cloudflare:*` and `node:*` left to the runtime), for the scripts that start a Worker
// through Miniflare's own API: the benchmark (start-bench-worker.ts) and the simulation (scripts/sim.ts).
import { resolve } from "node:path";
import { build } from "esbuild";
import type { Unstable_Config } from "wrangler";

export async function bundleWorker(
  entry: string,
  outfile: string,
  config?: Pick<Unstable_Config, "alias">,
): Promise<void> {
  const alias: Record<string, string> = {};
  for (const [name, target] of Object.entries(config?.alias ?? {})) alias[name] = resolve(target);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    alias,
    logLevel: "warning",
  });
}
