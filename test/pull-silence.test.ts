// A pull source that stops delivering raises carrier_silent as a pushed carrier does: its events
// are `carrier`'s events, so the alert job's last-event query (over every registered carrier) sees
// its silence. Its own file: each test file starts with an empty D1, so no other test's fresh DPD
// event hides the silence. The journal is the local fake of InfoServices; the refusal is a wrong
// password in it (the fake answers a SOAP fault).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type LastEventRow, lastEventsQuery } from "../src/alerts/db/alert-queries";
import { evaluateAlerts } from "../src/alerts/evaluate-alerts";
import { CARRIERS } from "../src/carriers";
import { dpdPl } from "../src/carriers/dpd-pl";
import { DpdInfoServicesFake, dpdStory } from "../src/carriers/dpd-pl/fake";
import { runPullSources } from "../src/pull/run-pull-sources";

const VARS = {
  DPD_PL_LOGIN: "silence-login",
  DPD_PL_PASSWORD: "silence-password",
  DPD_PL_MASTER_FID: "1495",
  DPD_PL_ENDPOINT: "http://dpd-fake.test/DPDInfoServicesObjEventsService/DPDInfoServicesObjEvents",
};
const dpdEnv = { ...env, ...VARS } as Env;

describe("a silent pull source", () => {
  it("raises carrier_silent after CARRIER_SILENCE_HOURS without events, while the journal refuses", async () => {
    const now = Date.parse("2026-12-05T09:00:00Z");
    const thirtyHoursAgo = now - 30 * 3_600_000;
    const journal = new DpdInfoServicesFake({
      login: VARS.DPD_PL_LOGIN,
      password: VARS.DPD_PL_PASSWORD,
      channel: "1495",
    });
    journal.add(dpdStory(1, new Date("2026-12-03T20:00:00Z")));
    // Read 30 hours ago (the job's clock: received_at), then the password changes at DPD.
    const [read] = await runPullSources(dpdEnv, new Date(thirtyHoursAgo), journal, [dpdPl], () => thirtyHoursAgo);
    expect(read).toMatchObject({ stored: 5, failure: null });
    const refusing = new DpdInfoServicesFake({ login: VARS.DPD_PL_LOGIN, password: "changed", channel: "1495" });
    const [refused] = await runPullSources(dpdEnv, new Date(now), refusing, [dpdPl], () => now);
    expect(refused?.failure?.kind).toBe("refused");

    const { results } = await lastEventsQuery(env.DB, CARRIERS).all<LastEventRow>();
    expect(results).toContainEqual({ carrier: "dpd-pl", last: new Date(thirtyHoursAgo).toISOString() });
    const alerts = evaluateAlerts(
      { dead: [], rejected: [], lastEvents: results, stalled: undefined, destinations: [], sent: [], databaseBytes: 0 },
      { carrierSilenceHours: 24, storageBudgetBytes: 10_000_000_000 },
      new Date(now),
    );
    expect(alerts).toEqual([expect.objectContaining({ alert: "carrier_silent", carrier: "dpd-pl", count: 30 })]);
  });
});
