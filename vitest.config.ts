import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("migrations");

export default defineConfig({
  test: {
    silent: "passed-only",
    projects: [
      {
        // Unit and integration tests inside workerd, against the real local D1 and queues.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                SWIFTPOD_WEBHOOK_SECRET: "test-swiftpod-old,test-swiftpod",
                POSTMEN_WEBHOOK_SECRET: "test-postmen",
                POSTMEN_HMAC_SECRET: "test-postmen-hmac",
                PEDDLER_WEBHOOK_TOKEN: "test-peddler",
                ADMIN_TOKEN: "test-admin",
                FORWARD_SIGNING_SECRET: "whsec_dGVzdC1mb3J3YXJkLXNpZ25pbmcta2V5LTMyYnl0ZXM=",
              },
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
        // End to end in Node: a real `wrangler dev` (see test/e2e/start-receiver.ts) and real HTTP.
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
