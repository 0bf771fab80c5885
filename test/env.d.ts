declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
  interface Env {
    // Test-only binding: the migrations vitest.config.ts read from migrations/.
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
