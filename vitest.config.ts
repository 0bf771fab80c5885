import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("migrations");

export default defineConfig({
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
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/apply-migrations.ts"],
    silent: "passed-only",
  },
});
