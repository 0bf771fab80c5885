import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { build } from "esbuild";
import { defineConfig } from "vitest/config";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const migrations = await readD1Migrations("migrations");

/** Secrets and tokens of both Workers in tests. */
const TEST_SECRETS = {
  SWIFTPOD_WEBHOOK_SECRET: "test-swiftpod-old,test-swiftpod",
  POSTMEN_WEBHOOK_SECRET: "test-postmen",
  POSTMEN_HMAC_SECRET: "test-postmen-hmac",
  PEDDLER_WEBHOOK_TOKEN: "test-peddler",
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123",
  FORWARD_SIGNING_SECRET: "whsec_dGVzdC1mb3J3YXJkLXNpZ25pbmcta2V5LTMyYnl0ZXM=",
  // Seals destinations' signing secrets in D1 (src/destinations/secret-box.ts).
  DESTINATIONS_KEY: "test-destinations-key-of-at-least-32-chars",
};

/**
 * The queue consumer Worker beside the tests' Hono app, as `wrangler dev` runs the pair: its
 * bindings and queue consumers come from wrangler.consumer.toml (so a binding or var missing there
 * fails here), and it shares the app's local D1 and queues. An auxiliary Worker must be plain
 * JavaScript, so its entry is bundled here (with the conditions wrangler bundles with).
 */
async function consumerWorker() {
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions("wrangler.consumer.toml");
  const scriptPath = "node_modules/.cache/parcelhook-vitest/consumer-worker.mjs";
  await build({
    entryPoints: [main as string],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    external: ["cloudflare:*", "node:*"],
    logLevel: "warning",
  });
  const { modulesRules: _, ...options } = workerOptions;
  return {
    ...options,
    name: "parcelhook-consumer",
    modules: true,
    scriptPath,
    bindings: { ...(options.bindings as Record<string, unknown>), ...TEST_SECRETS },
  };
}

export default defineConfig({
  test: {
    silent: "passed-only",
    projects: [
      {
        // Unit and integration tests inside workerd: the Hono app (wrangler.toml) with the queue
        // consumer Worker beside it, against the real local D1 and queues.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: { TEST_MIGRATIONS: migrations, ...TEST_SECRETS },
              workers: [await consumerWorker()],
            },
          }),
        ],
        test: {
          name: "workers",
          // `FUZZ_RUNS=10000 npm run fuzz`: test/fuzz.test.ts reads it with inject("fuzzRuns").
          provide: { fuzzRuns: Number(process.env.FUZZ_RUNS) || 0 },
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          setupFiles: ["./test/apply-migrations.ts"],
        },
      },
      {
        // End to end in Node: a real `wrangler dev` of both Workers (see test/e2e/start-receiver.ts)
        // and real HTTP.
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
