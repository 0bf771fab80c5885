/// <reference types="vite/client" />
// Every fixture of every registered carrier (test/fixtures/carriers/<name>/*.json, the format in
// docs/carriers/adding-a-carrier.md), through the Worker with the fixture's settings laid over the
// test env: refused without each credential and with each one corrupted (nothing stored), accepted,
// a duplicate when sent again, stored exactly as its `normalized`, and forwarded signed. The events
// queue is a paused one (a fault binding), so the test hands the queued message to the consumer
// itself, with a stand-in downstream, instead of racing the local queue's own consumer.
import { createExecutionContext, createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { REGISTRY } from "../src/carriers";
import { isPullSource } from "../src/carriers/pull-kit";
import { handleEventBatch } from "../src/consumer/handle-event-batch";
import { EVENT_COLUMNS, type EventRow, rowToEvent } from "../src/db/row-to-event";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { callWith } from "./helpers/call-with";
import { resetDownstream, STAND_IN_URL, standInDownstream } from "./helpers/downstream";
import { pausedQueue } from "./helpers/paused-queue";

interface Credential {
  header?: string;
  query?: string;
  refusal?: number;
}

interface Fixture {
  event: string;
  source: string;
  /** The receiver's clock while the fixture is sent, for a signature that dates itself (within its tolerance). */
  clock?: string;
  settings: Record<string, string>;
  request: { query?: Record<string, string>; headers?: Record<string, string>; body: string };
  auth: Credential[];
  normalized: Omit<NormalizedEvent, "id" | "carrier" | "received_at" | "occurred_at"> & { occurred_at: string | null };
}

// Every fixture file, bundled by Vite (the Workers runtime has no file system).
const files = import.meta.glob<Fixture>("./fixtures/carriers/*/*.json", { eager: true, import: "default" });
const byCarrier = new Map<string, { file: string; fixture: Fixture }[]>();
for (const [path, fixture] of Object.entries(files)) {
  const [, carrier, file] = /carriers\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
  if (!carrier || !file) continue;
  byCarrier.set(carrier, [...(byCarrier.get(carrier) ?? []), { file, fixture }]);
}

/** A credential changed so it can no longer pass: prefixed, so no range, secret or signature still fits. */
const corrupt = (value: string) => `x${value}`;

function send(carrier: string, f: Fixture, change?: { credential: Credential; to: string | null }) {
  const query = { ...f.request.query };
  const headers = { ...f.request.headers };
  if (change?.credential.query) {
    if (change.to === null) delete query[change.credential.query];
    else query[change.credential.query] = change.to;
  }
  if (change?.credential.header) {
    const name = change.credential.header;
    const key = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase()) ?? name;
    if (change.to === null) delete headers[key];
    else headers[key] = change.to;
  }
  const search = new URLSearchParams(query).toString();
  const queue = pausedQueue();
  const path = `/webhooks/${carrier}${search ? `?${search}` : ""}`;
  const init = { method: "POST", headers, body: f.request.body };
  const overrides = { ...f.settings, EVENTS_QUEUE: queue };
  // A refusal's only background work is the rejection counts' flush, up to REJECTION_FLUSH_MS
  // later: not waited for. An accepted request is waited for, as the runtime would.
  const res = change
    ? app.fetch(new Request(`https://parcelhook.test${path}`, init), { ...env, ...overrides }, createExecutionContext())
    : callWith(path, overrides, init);
  return { res: Promise.resolve(res), queue };
}

async function storedCounts(carrier: string): Promise<{ events: number; quarantined: number }> {
  const events = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE carrier = ?")
    .bind(carrier)
    .first<{ n: number }>();
  const quarantined = await env.DB.prepare("SELECT count(*) AS n FROM quarantine WHERE carrier = ?")
    .bind(carrier)
    .first<{ n: number }>();
  return { events: events?.n ?? -1, quarantined: quarantined?.n ?? -1 };
}

function credentialValue(f: Fixture, c: Credential): string {
  if (c.query) return f.request.query?.[c.query] ?? "";
  const name = (c.header ?? "").toLowerCase();
  return Object.entries(f.request.headers ?? {}).find(([h]) => h.toLowerCase() === name)?.[1] ?? "";
}

beforeEach(resetDownstream);
afterEach(() => {
  vi.useRealTimers();
});

describe("carrier conformance: every fixture of every registered carrier (events queue paused)", () => {
  it("has fixtures for every registered carrier, and only for registered ones", () => {
    expect([...byCarrier.keys()].sort()).toEqual(REGISTRY.map((c) => c.name).sort());
  });

  // Pull sources have no request to refuse or accept: test/pull-conformance.test.ts walks theirs.
  for (const carrier of REGISTRY.filter((c) => !isPullSource(c))) {
    for (const { file, fixture } of byCarrier.get(carrier.name) ?? []) {
      it(`${carrier.name}/${file}: ${fixture.event}`, async () => {
        if (fixture.clock) {
          vi.useFakeTimers({ toFake: ["Date"] });
          vi.setSystemTime(new Date(fixture.clock));
        }
        // Refused first, so a wrongly accepted request would show as a new row.
        const before = await storedCounts(carrier.name);
        for (const credential of fixture.auth) {
          const refusal = credential.refusal ?? 401;
          const what = credential.header ? `header ${credential.header}` : `query ${credential.query}`;
          for (const to of [null, corrupt(credentialValue(fixture, credential))]) {
            const { res, queue } = send(carrier.name, fixture, { credential, to });
            const answer = await res;
            expect(answer.status, `${what} ${to === null ? "removed" : "corrupted"}`).toBe(refusal);
            expect(queue.messages).toEqual([]);
          }
        }
        expect(await storedCounts(carrier.name), "nothing stored for a refused request").toEqual(before);

        // Accepted, then the same request again is a duplicate of the same event.
        const first = send(carrier.name, fixture);
        const accepted = await first.res;
        const body = await accepted.json<{ status: string; event_id: string }>();
        expect([accepted.status, body.status]).toEqual([200, "accepted"]);
        const again = await send(carrier.name, fixture).res;
        expect(await again.json()).toEqual({ status: "duplicate", event_id: body.event_id });

        // Stored exactly as documented.
        const row = await env.DB.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`)
          .bind(body.event_id)
          .first<EventRow>();
        if (!row) throw new Error("the accepted event is not stored");
        const stored = rowToEvent(row);
        const expected: NormalizedEvent = {
          id: body.event_id,
          carrier: carrier.name,
          received_at: stored.received_at,
          ...fixture.normalized,
          // null: the sender states no time, so the event takes its time of receipt (EventDraft).
          occurred_at: fixture.normalized.occurred_at ?? stored.received_at,
        };
        expect(stored).toEqual(expected);
        expect(Number.isNaN(Date.parse(stored.received_at))).toBe(false);

        // Forwarded, signed, as stored.
        expect(first.queue.messages).toHaveLength(1);
        const downstream = standInDownstream();
        const sent: { headers: Record<string, string>; body: string }[] = [];
        const recording: typeof fetch = (input, init) => {
          sent.push({ headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body) });
          return downstream.fetch(input, init);
        };
        const batch = createMessageBatch<unknown>(
          env.EVENTS_QUEUE_NAME ?? "carrier-events",
          first.queue.messages.map((m, i) => ({ id: `conformance-${i}`, timestamp: new Date(), attempts: 1, body: m })),
        );
        await handleEventBatch(batch, { ...env, FORWARD_URL: STAND_IN_URL }, recording);
        expect(downstream.accepted.get(body.event_id)).toBe(1);
        const delivery = sent.find((s) => s.body.includes(body.event_id));
        if (!delivery) throw new Error("nothing was forwarded");
        const secret = env.FORWARD_SIGNING_SECRET as string;
        expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toEqual(
          JSON.parse(JSON.stringify(expected)),
        );
      });
    }
  }
});
