// What `npm run bench:cpu` (Node) and `npm run bench:cpu:workerd` (bench/cpu-worker.ts) time per
// event, with the receiver's own modules: the sender check alone, and check + parse + validate +
// normalize. One module for both, so the two runtimes measure the same code. Worker-safe: it imports
// only src/ (never node:*). Never deployed, never imported by src/.

import { REGISTRY } from "../src/carriers";
import type { AnyCarrier, SenderContext } from "../src/carriers/kit";
import { parseConfig } from "../src/config";
import { parseJsonBody } from "../src/webhooks/parse-json-body";
import { validatePayload } from "../src/webhooks/validate-payload";

/** One request as the route sees it, and the env it is checked against. */
export interface CpuInput {
  carrier: string;
  /** What is measured: a fixture's name. */
  label: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  vars: Record<string, string>;
  /** The receiver's clock for a signature that dates itself (the fixture's `clock`), else null. */
  clock: string | null;
}

/** An input made ready once, outside the timed loops: the carrier, its parsed settings, the raw bytes, the request's context. */
export interface CpuCase {
  input: CpuInput;
  carrier: AnyCarrier;
  // biome-ignore lint/suspicious/noExplicitAny: the settings of whichever carrier the input names
  settings: any;
  raw: Uint8Array;
  /** Built once per request by the route (src/webhooks/check-sender.ts), not by the check: outside the loop. */
  ctx: SenderContext;
}

export function prepareCase(input: CpuInput): CpuCase {
  const carrier = REGISTRY.find((c) => c.name === input.carrier) as AnyCarrier | undefined;
  if (!carrier) throw new Error(`${input.carrier} is not a registered carrier`);
  const settings = (parseConfig(input.vars).carriers as Record<string, unknown>)[carrier.name];
  const headers = new Headers(input.headers);
  const ctx = {
    url: new URL(`http://bench.local${input.path}`),
    headers,
    clientIp: headers.get("cf-connecting-ip"),
  };
  return { input, carrier, settings, raw: new TextEncoder().encode(input.body), ctx };
}

/** The sender check alone: every check without the body, then the one over the raw body. */
export async function checkStep(c: CpuCase): Promise<void> {
  let verdict = await c.carrier.verifySender(c.ctx, c.settings);
  if (verdict === "ok" && c.carrier.verifyBody) verdict = await c.carrier.verifyBody(c.ctx, c.raw, c.settings);
  if (verdict !== "ok") throw new Error(`${c.carrier.name} (${c.input.label}): sender check failed (${verdict})`);
}

/** The check, then parse, validate, normalize and the event's identity, as the route runs them. */
export async function pipelineStep(c: CpuCase): Promise<void> {
  await checkStep(c);
  const { value } = parseJsonBody(c.raw);
  const v = validatePayload(c.carrier.schema, value);
  if (!v.ok) throw new Error(`${c.carrier.name} (${c.input.label}): ${JSON.stringify(v.issues[0])}`);
  c.carrier.normalize(v.output);
  c.carrier.eventKey(v.output);
}

/**
 * Runs `fn` with `Date.now` at the input's fixture clock (a dated signature is measured at its
 * fixture's clock, as the conformance test sends it), then puts the real clock back.
 */
export async function atFixtureClock<T>(input: CpuInput, fn: () => Promise<T>): Promise<T> {
  if (!input.clock) return fn();
  const realNow = Date.now;
  const at = Date.parse(input.clock);
  Date.now = () => at;
  try {
    return await fn();
  } finally {
    Date.now = realNow;
  }
}
