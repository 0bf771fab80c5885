// What vitest.config.ts provides to the tests (read with `inject`).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** FUZZ_RUNS from the environment (`FUZZ_RUNS=10000 npm run fuzz`), 0 when unset. */
    fuzzRuns: number;
  }
}
