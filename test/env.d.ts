declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
  interface Env {
    // Test-only binding: the migrations vitest.config.ts read from migrations/.
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}

// Vite's `?raw` import: a file's text (the state-table test reads docs/consumer.md this way).
declare module "*.md?raw" {
  const text: string;
  export default text;
}
