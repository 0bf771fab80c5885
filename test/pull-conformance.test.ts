/// <reference types="vite/client" />
// Every fixture of every registered pull source (test/fixtures/carriers/<name>/*.json with a
// `record`: one record exactly as the source returns it): served by the source's local fake... for
// DPD Polska the journal fake, so each record reaches the cron job inside a real SOAP answer. Read,
// stored exactly as its `normalized` with the record as its raw body, read again (unacknowledged)
// as a duplicate of the same event, and queued once.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../src/carriers";
import { dpdPl } from "../src/carriers/dpd-pl";
import { DpdInfoServicesFake } from "../src/carriers/dpd-pl/fake";
import { isPullSource } from "../src/carriers/pull-kit";
import { decodeRawBody } from "../src/db/body-codec";
import { EVENT_COLUMNS, type EventRow, rowToEvent } from "../src/db/row-to-event";
import type { NormalizedEvent } from "../src/events/normalized-event";
import { runPullSources } from "../src/pull/run-pull-sources";
import { pausedQueue } from "./helpers/paused-queue";

interface PullFixture {
  event: string;
  source: string;
  record: string;
  normalized: Omit<NormalizedEvent, "id" | "carrier" | "received_at">;
}

const files = import.meta.glob<PullFixture>("./fixtures/carriers/*/*.json", { eager: true, import: "default" });
const fixturesOf = (carrier: string) =>
  Object.entries(files)
    .filter(([path]) => path.includes(`/carriers/${carrier}/`))
    .map(([path, fixture]) => ({ file: path.replace(/^.*\//, ""), fixture }));

const VARS = {
  DPD_PL_LOGIN: "conformance-login",
  DPD_PL_PASSWORD: "conformance-password",
  DPD_PL_MASTER_FID: "1495",
  DPD_PL_ENDPOINT: "http://dpd-fake.test/DPDInfoServicesObjEventsService/DPDInfoServicesObjEvents",
};

/**
 * A journal serving exactly one fixture's record: the fake's own answer with its single
 * `<eventsList>` replaced by the fixture's bytes, so the record is read as the source sent it.
 */
function journalOf(record: string) {
  const fake = new DpdInfoServicesFake({ login: VARS.DPD_PL_LOGIN, password: VARS.DPD_PL_PASSWORD, channel: "1495" });
  fake.add([{ businessCode: "000000", waybill: "placeholder", eventTime: "2026-01-01T00:00:00" }]);
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const answer = await fake.fetch(input, init);
    const text = await answer.text();
    return new Response(text.replace(/<eventsList>.*<\/eventsList>/s, record), answer);
  };
  return { fake, fetch };
}

describe("pull conformance: every fixture of every registered pull source", () => {
  it("the pull sources are DPD Polska's (a new one adds its fake here)", () => {
    expect(REGISTRY.filter(isPullSource).map((s) => s.name)).toEqual(["dpd-pl"]);
  });

  const fixtures = fixturesOf("dpd-pl");
  it("has fixtures, each a record", () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const { fixture } of fixtures) expect(typeof fixture.record).toBe("string");
  });

  for (const { file, fixture } of fixtures) {
    it(`dpd-pl/${file}: ${fixture.event}`, async () => {
      const queue = pausedQueue();
      const e = { ...env, ...VARS, EVENTS_QUEUE: queue } as Env;
      await env.DB.prepare("DELETE FROM pull_sources").run();
      const journal = journalOf(fixture.record);
      journal.fake.failNext("markEventsAsProcessedV1", "http500");
      const [first] = await runPullSources(e, new Date("2026-12-05T09:00:00Z"), journal, [dpdPl]);
      expect(first).toMatchObject({ stored: 1, duplicates: 0, quarantined: 0, failure: { kind: "unreachable" } });
      // Not acknowledged: read again, a duplicate of the same event, then acknowledged.
      const [second] = await runPullSources(e, new Date("2026-12-05T09:01:00Z"), journal, [dpdPl]);
      expect(second).toMatchObject({ stored: 0, duplicates: 1, failure: null });
      expect(journal.fake.unacknowledged()).toBe(0);

      expect(queue.messages).toHaveLength(1);
      const id = (queue.messages[0] as { id: string }).id;
      const row = await env.DB.prepare(`SELECT ${EVENT_COLUMNS}, duplicates FROM events WHERE id = ?`)
        .bind(id)
        .first<EventRow & { duplicates: number }>();
      if (!row) throw new Error("the event is not stored");
      const stored = rowToEvent(row);
      expect(stored).toEqual({ id, carrier: "dpd-pl", received_at: stored.received_at, ...fixture.normalized });
      expect(decodeRawBody(row.raw_body)).toBe(fixture.record);
      expect(row.duplicates).toBe(1);
    });
  }
});
