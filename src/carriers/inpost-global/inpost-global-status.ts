import type { CanonicalStatus } from "../../events/normalized-event";

/**
 * carriers-more.md section 8, row by row as written there: `CRE.*` is a wildcard (`LMD.3*`: every
 * LMD.3xxx), `LMD.9002-9011` a range of the same phase. `null`: INF.1001 (COD payment received)
 * says nothing about the parcel, so the shipment keeps its status.
 */
const TABLE: [CanonicalStatus | null, string][] = [
  ["pending", "CRE.* FMD.1001 FUL.*"],
  ["picked_up", "FMD.1002 FMD.1004 FMD.1005"],
  ["in_transit", "FMD.1003 HAN.1001 MMD.* CC.002 LMD.1001 LMD.1002 LMD.3*"],
  ["on_hold", "CC.001 CC.003"],
  ["ready_for_pickup", "LMD.1003-1006 LMD.9001 LMD.9012 LMD.9013"],
  ["delivered", "EOL.1001-1008"],
  ["delivery_failed", "LMD.9002-9011 LMD.9015-9030 EOL.9001-9003 EOL.9006"],
  ["delivery_delayed", "INF.9001-9017"],
  ["return_to_sender", "LMD.9014 RTS.1001 RTS.1002"],
  ["cancelled", "EOL.9004 EOL.9005"],
  [null, "INF.1001"],
];

const RULES = TABLE.flatMap(([status, codes]) => codes.split(" ").map((rule) => [status, rule] as const));

function matches(code: string, rule: string): boolean {
  if (rule.endsWith("*")) return code.startsWith(rule.slice(0, -1));
  const range = /^(.+\.)(\d+)-(\d+)$/.exec(rule);
  if (!range) return code === rule;
  const [, phase, from, to] = range as unknown as [string, string, string, string];
  const n = code.slice(phase.length);
  return code.startsWith(phase) && n.length === from.length && /^\d+$/.test(n) && +n >= +from && +n <= +to;
}

/** The canonical status of an `eventCode`; a code not in the table is `unknown` (stored, forwarded). */
export function inpostGlobalStatus(code: string): CanonicalStatus | null {
  for (const [status, rule] of RULES) if (matches(code, rule)) return status;
  return "unknown";
}
