import { toUtcIso } from "../../time/to-utc-iso";
import type { FedexScanEvent } from "./fedex-payload-schema";

export interface DatedScan {
  scan: FedexScanEvent;
  /** Its `date` as UTC ISO 8601. */
  at: string;
}

/**
 * The newest scan by instant: FedEx sends updates out of order and each `date` carries its own
 * offset, so neither the list's order nor the wall-clock text decides. A date without an offset is
 * passed over (its zone is unknown); of equal instants, the later in the list wins.
 */
export function newestScan(scans: FedexScanEvent[] | null | undefined): DatedScan | null {
  let newest: DatedScan | null = null;
  for (const scan of scans ?? []) {
    const at = scan.date ? toUtcIso(scan.date) : null;
    if (at !== null && (newest === null || at >= newest.at)) newest = { scan, at };
  }
  return newest;
}
