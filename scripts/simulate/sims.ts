import { REGISTRY } from "../../src/carriers";
import { isPullSource } from "../../src/carriers/pull-kit";
import type { CarrierSim } from "./types";

/**
 * Every registered carrier's simulator, by name: each carrier folder's node-only `simulate.ts`
 * (kept out of the Workers' bundles, which never import it). A folder without one is left out; a
 * pull source is never posted to, so it has none (its local fake is `fake.ts`).
 */
const PUSHED = REGISTRY.filter((c) => !isPullSource(c)).map((c) => c.name);
export const SIMS: Record<string, CarrierSim> = Object.fromEntries(
  (
    await Promise.all(
      PUSHED.map(async (name) => {
        try {
          const module = (await import(`../../src/carriers/${name}/simulate.ts`)) as { simulate: CarrierSim };
          return [[name, module.simulate] as const];
        } catch (err) {
          console.warn(`no simulator for ${name}: ${err instanceof Error ? err.message : err}`);
          return [];
        }
      }),
    )
  ).flat(),
);

/** The carriers that have a simulator, in the registry's order. */
export const SIM_NAMES: readonly string[] = PUSHED.filter((c) => Object.hasOwn(SIMS, c));
