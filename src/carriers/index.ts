import type { AnyCarrier } from "./kit";
import * as registered from "./registered";

type Registered = typeof registered;

/** One registered carrier, with its exact name, payload and settings types. */
export type RegisteredCarrier = Registered[keyof Registered];

/** The normalized event's `carrier`: the registered carriers' names. */
export type CarrierName = RegisteredCarrier["name"];

/** Every registered carrier, in their names' order (src/carriers/registered.ts). */
export const REGISTRY: readonly RegisteredCarrier[] = Object.values(registered).sort((a, b) =>
  a.name < b.name ? -1 : 1,
);

/** The registered carriers' names, as valibot's `picklist` and the dashboard want them. */
export const CARRIERS = REGISTRY.map((c) => c.name) as readonly CarrierName[] as [CarrierName, ...CarrierName[]];

const byName = new Map<string, AnyCarrier>(REGISTRY.map((c) => [c.name, c as AnyCarrier]));

export function findCarrier(name: string): AnyCarrier | undefined {
  return byName.get(name);
}

export function isCarrierName(name: string): name is CarrierName {
  return byName.has(name);
}
