import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { app } from "../../src/app";
import { callWith } from "./call-with";
import { pausedQueue } from "./paused-queue";

/** How one signed sender is called in a route test. */
export interface RouteCase {
  carrier: string;
  /** The settings that configure it (laid over the test env). */
  settings: Record<string, string>;
  /** The same settings unset (blank): the route must answer 503. */
  unset: Record<string, string>;
  /** The request's query and headers for `body`, signed as the sender signs it. */
  sign(body: string): Promise<{ query?: Record<string, string>; headers: Record<string, string> }>;
  /** A valid event body; `id` makes it a distinct event. */
  body(id: string): string;
  /** A signed JSON body the schema refuses, and the path its first issue names. */
  invalid: { body: string; path: string };
}

export interface Answer {
  status: number;
  code?: string;
  eventStatus?: string;
  issues?: { path: string }[];
}

/**
 * A request through the Worker (the events queue is a paused one, a fault binding). A refusal's
 * only background work is the rejection counts' flush, seconds later: not waited for; anything else
 * is waited for, as the runtime would.
 */
export async function postTo(
  rc: RouteCase,
  body: BodyInit,
  req: { query?: Record<string, string>; headers: Record<string, string> },
  overrides: Record<string, string> = {},
  refused = false,
): Promise<Answer> {
  const search = new URLSearchParams(req.query ?? {}).toString();
  const path = `/webhooks/${rc.carrier}${search ? `?${search}` : ""}`;
  const vars = { ...rc.settings, ...overrides, EVENTS_QUEUE: pausedQueue() } as Partial<Env>;
  const init = { method: "POST", headers: { "content-type": "application/json", ...req.headers }, body };
  const res = refused
    ? await app.fetch(
        new Request(`https://parcelhook.test${path}`, init),
        { ...env, ...vars },
        createExecutionContext(),
      )
    : await callWith(path, vars, init);
  const json = await res.json<{ status?: string; error?: { code: string; issues?: { path: string }[] } }>();
  return { status: res.status, code: json.error?.code, eventStatus: json.status, issues: json.error?.issues };
}

export async function storedCounts(carrier: string): Promise<{ events: number; quarantined: number }> {
  const q = (table: string) =>
    env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE carrier = ?`).bind(carrier).first<{ n: number }>();
  return { events: (await q("events"))?.n ?? -1, quarantined: (await q("quarantine"))?.n ?? -1 };
}

/** A body stream that counts how often the receiver asked for bytes, and never gives any. */
export function untouchedBody(): { stream: ReadableStream<Uint8Array>; pulls: () => number } {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull() {
        pulls++;
        return new Promise(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls };
}

/**
 * The contract's answers every signed route gives (issue 19): 503 while unset, 401 without the
 * credential and no body read, 400 for signed non-JSON, 422 with a quarantine row for a signed
 * body the schema refuses, 413 past MAX_BODY_BYTES, 200 for a valid signed event.
 */
export function itAnswersTheContract(rc: RouteCase): void {
  it("answers 503 carrier_not_configured while unset, even to a correctly signed event", async () => {
    const b = rc.body("unset");
    const a = await postTo(rc, b, await rc.sign(b), rc.unset, true);
    expect([a.status, a.code]).toEqual([503, "carrier_not_configured"]);
  });

  it("answers 401 without a credential, before a byte of the body is read", async () => {
    const { stream, pulls } = untouchedBody();
    const a = await postTo(rc, stream, { headers: {} }, {}, true);
    expect([a.status, a.code]).toEqual([401, "unauthorized"]);
    expect(pulls()).toBe(0);
  });

  it("answers a signed body that is not JSON with 400 malformed_json, storing nothing", async () => {
    const before = await storedCounts(rc.carrier);
    const b = `${rc.body("bad-json").slice(0, 40)}`;
    const a = await postTo(rc, b, await rc.sign(b));
    expect([a.status, a.code]).toEqual([400, "malformed_json"]);
    expect(await storedCounts(rc.carrier)).toEqual(before);
  });

  it("answers a signed body its schema refuses with 422 and keeps it in quarantine", async () => {
    const before = await storedCounts(rc.carrier);
    const a = await postTo(rc, rc.invalid.body, await rc.sign(rc.invalid.body));
    expect([a.status, a.code]).toEqual([422, "invalid_payload"]);
    expect(a.issues?.map((i) => i.path).join(" ")).toContain(rc.invalid.path);
    expect(await storedCounts(rc.carrier)).toEqual({ events: before.events, quarantined: before.quarantined + 1 });
  });

  it("answers a signed body past MAX_BODY_BYTES with 413, storing nothing", async () => {
    const before = await storedCounts(rc.carrier);
    const b = rc.body("too-large");
    const a = await postTo(rc, b, await rc.sign(b), { MAX_BODY_BYTES: String(b.length - 1) }, true);
    expect([a.status, a.code]).toEqual([413, "payload_too_large"]);
    expect(await storedCounts(rc.carrier)).toEqual(before);
  });

  it("accepts a correctly signed event once, then answers its retry as a duplicate", async () => {
    const b = rc.body("accepted");
    const req = await rc.sign(b);
    expect((await postTo(rc, b, req)).eventStatus).toBe("accepted");
    expect((await postTo(rc, b, req)).eventStatus).toBe("duplicate");
  });
}
