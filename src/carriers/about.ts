// Node only (scripts, end-to-end runs): each registered carrier's `about.ts`, found by its folder
// name. No Worker imports this module, so the carriers' titles, setting docs and examples stay out
// of their bundles (docs/bundle.md).
import type { CarrierName } from ".";
import { REGISTRY } from ".";
import type { CarrierAbout } from "./kit";

/** Every registered carrier's `about`, in the registry's order. */
export async function carrierAbouts(): Promise<Map<CarrierName, CarrierAbout>> {
  const abouts = await Promise.all(
    REGISTRY.map(async (c) => {
      const about = ((await import(`./${c.name}/about.ts`)) as { about?: CarrierAbout }).about;
      if (!about) throw new Error(`src/carriers/${c.name}/about.ts exports no \`about\``);
      return [c.name, about] as const;
    }),
  );
  return new Map(abouts);
}
