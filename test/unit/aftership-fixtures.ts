import editRevise from "../fixtures/carriers/aftership/edd-revise-2026-01.json";
import pendingTime from "../fixtures/carriers/aftership/tracking-pending-time-2024-04.json";
import returned from "../fixtures/carriers/aftership/tracking-update-2025-01-returned.json";
import dated from "../fixtures/carriers/aftership/tracking-update-2026-07-in-transit.json";
import arrivalScan from "../fixtures/carriers/aftership/tracking-update-legacy-arrival-scan.json";
import attemptFail from "../fixtures/carriers/aftership/tracking-update-legacy-attempt-fail.json";
import docHead from "../fixtures/carriers/aftership/tracking-update-legacy-doc-head.json";
import vector from "../fixtures/carriers/aftership/vector-delivered.json";

export interface AftershipFixture {
  event: string;
  settings: Record<string, string>;
  request: { headers: Record<string, string>; body: string };
  normalized: Record<string, unknown>;
}

/** Every file of test/fixtures/carriers/aftership/, by name (a new file must be listed here too). */
export const AFTERSHIP_FIXTURES: Record<string, AftershipFixture> = {
  "edd-revise-2026-01": editRevise,
  "tracking-pending-time-2024-04": pendingTime,
  "tracking-update-2025-01-returned": returned,
  "tracking-update-2026-07-in-transit": dated,
  "tracking-update-legacy-arrival-scan": arrivalScan,
  "tracking-update-legacy-attempt-fail": attemptFail,
  "tracking-update-legacy-doc-head": docHead,
  "vector-delivered": vector,
};

export const AFTERSHIP_VECTOR = vector;
