import type { CarrierName } from "../events/normalized-event";
import type { Carrier } from "./carrier";
import { inpost } from "./inpost";
import { peddler } from "./peddler";
import { postmen } from "./postmen";
import { swiftpod } from "./swiftpod";

// biome-ignore lint/suspicious/noExplicitAny: each carrier has its own payload type
export const carriers: Record<CarrierName, Carrier<any>> = { inpost, swiftpod, postmen, peddler };

export function findCarrier(name: string): Carrier<unknown> | undefined {
  return Object.hasOwn(carriers, name) ? carriers[name as CarrierName] : undefined;
}
