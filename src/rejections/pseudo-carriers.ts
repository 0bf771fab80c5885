/**
 * Names the request counters use that are not carriers: requests to a path no carrier has
 * (`unknown`) and refused operator credentials, API bearers and dashboard sign-ins (`operator`).
 * They show in /api/stats and /metrics like a carrier, and never raise sender_rejected.
 */
export const UNKNOWN_CARRIER = "unknown";
export const OPERATOR = "operator";
export const PSEUDO_CARRIERS: readonly string[] = [UNKNOWN_CARRIER, OPERATOR];
