declare namespace Cloudflare {
  interface Env {
    // Test-only binding: the migrations vitest.config.ts read from migrations/.
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
