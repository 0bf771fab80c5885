import { CARRIERS } from "../../src/carriers";
import type { CarrierSim } from "./types";

/**
 * Every registered carrier's simulator, by name: each carrier folder's node-only `simulate.ts`
 * (kept out of the Workers' bundles, which never import it). A folder without one is left out.
 */
export const SIMS: Record<string, CarrierSim> = Object.fromEntries(
  (
    await Promise.all(
      CARRIERS.map(async (name) => {
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
export const SIM_NAMES: readonly string[] = CARRIERS.filter((c) => Object.hasOwn(SIMS, c));
