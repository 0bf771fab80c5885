import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { easypost } from "../../src/carriers/easypost";
import { verifyEasypostSignature } from "../../src/carriers/easypost/easypost-signature";
import batchCreated from "../fixtures/carriers/easypost/batch-created.json";
import trackerCreated from "../fixtures/carriers/easypost/tracker-created.json";
import trackerUpdated from "../fixtures/carriers/easypost/tracker-updated.json";
import trackerUpdatedDelivered from "../fixtures/carriers/easypost/tracker-updated-delivered.json";

// Every fixture of the folder (one line each: a new file must be added here too).
const FIXTURES = {
  "batch-created": batchCreated,
  "tracker-created": trackerCreated,
  "tracker-updated": trackerUpdated,
  "tracker-updated-delivered": trackerUpdatedDelivered,
};

const encoder = new TextEncoder();
const cases = Object.entries(FIXTURES);

describe("EasyPost fixtures", () => {
  it.each(cases)("%s: its body, validated and normalized, is its `normalized`", (_, fixture) => {
    const payload = v.parse(easypost.schema, JSON.parse(fixture.request.body));
    expect(easypost.normalize(payload)).toEqual(fixture.normalized);
  });

  it.each(cases)("%s: its signature verifies with its settings' secret, and only with it", async (_, fixture) => {
    const body = encoder.encode(fixture.request.body);
    const header = fixture.request.headers["x-hmac-signature"];
    const secret = fixture.settings.EASYPOST_WEBHOOK_SECRET;
    expect(await verifyEasypostSignature(header, body, [secret])).toBe(true);
    expect(await verifyEasypostSignature(header, body, ["secret"])).toBe(false);
  });

  it.each(cases)("%s: lists the signature header as its one credential", (_, fixture) => {
    expect(fixture.auth).toEqual([{ header: "x-hmac-signature" }]);
  });

  it("every fixture is a different event (identity), as they share one test database", () => {
    const keys = cases.map(([, f]) => easypost.eventKey(v.parse(easypost.schema, JSON.parse(f.request.body))));
    expect(new Set(keys).size).toBe(cases.length);
  });
});
