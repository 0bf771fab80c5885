import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { sendcloud } from "../../src/carriers/sendcloud";
import integrationConnected from "../fixtures/carriers/sendcloud/integration-connected.json";
import integrationDeleted from "../fixtures/carriers/sendcloud/integration-deleted.json";
import integrationUpdated from "../fixtures/carriers/sendcloud/integration-updated.json";
import parcelChronopost from "../fixtures/carriers/sendcloud/parcel-status-changed-chronopost.json";
import parcelDoc from "../fixtures/carriers/sendcloud/parcel-status-changed-doc.json";
import returnCreated from "../fixtures/carriers/sendcloud/return-created.json";
import vendorVector from "../fixtures/carriers/sendcloud/vectors/vendor-vector-6-2.json";

interface Fixture {
  event: string;
  settings: Record<string, string>;
  request: { headers: Record<string, string>; body: string };
  auth: Array<{ header: string }>;
  normalized: unknown;
  answer?: { status: number; code: string; issues: string[] };
}

const EVENTS: Record<string, Fixture> = {
  "parcel-status-changed-doc": parcelDoc,
  "parcel-status-changed-chronopost": parcelChronopost,
  "integration-connected": integrationConnected,
  "integration-updated": integrationUpdated,
  "integration-deleted": integrationDeleted,
  "return-created": returnCreated,
};
const ALL: Record<string, Fixture> = { ...EVENTS, "vendor-vector-6-2": vendorVector };

const secrets = (f: Fixture) => ({ SENDCLOUD_WEBHOOK_SECRET: [f.settings.SENDCLOUD_WEBHOOK_SECRET as string] });
const request = (f: Fixture, headers = f.request.headers) => ({
  url: new URL("https://parcelhook.test/webhooks/sendcloud"),
  headers: new Headers(headers),
  clientIp: null,
});
const rawBody = (f: Fixture) => new TextEncoder().encode(f.request.body);

describe("Sendcloud fixtures (pure: signature, schema, normalizer)", () => {
  it.each(Object.entries(ALL))("%s is signed with the vendor's secret and passes both checks", async (_, f) => {
    expect(f.settings.SENDCLOUD_WEBHOOK_SECRET).toBe("secretkey");
    expect(await sendcloud.verifySender(request(f), secrets(f))).toBe("ok");
    expect(await sendcloud.verifyBody?.(request(f), rawBody(f), secrets(f))).toBe("ok");
    expect(f.auth).toEqual([{ header: "sendcloud-signature" }]);
  });

  it.each(Object.entries(ALL))("%s without or with a corrupted signature is refused", async (_, f) => {
    expect(await sendcloud.verifySender(request(f, {}), secrets(f))).toBe("unauthorized");
    const sig = f.request.headers["sendcloud-signature"] as string;
    const corrupted = { "sendcloud-signature": `${sig.slice(0, -1)}${sig.endsWith("0") ? "1" : "0"}` };
    expect(await sendcloud.verifyBody?.(request(f, corrupted), rawBody(f), secrets(f))).toBe("unauthorized");
  });

  it.each(Object.entries(EVENTS))("%s validates and normalizes to its `normalized`", (_, f) => {
    const payload = v.parse(sendcloud.schema, JSON.parse(f.request.body));
    expect(sendcloud.normalize(payload)).toEqual(f.normalized);
  });

  it("every event fixture has its own identity (they share one test database)", () => {
    const keys = Object.values(EVENTS).map((f) =>
      sendcloud.eventKey(v.parse(sendcloud.schema, JSON.parse(f.request.body))),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("the vendor vector's body (authentic JSON, no event) is invalid, as its `answer` says (422 on `action`)", () => {
    const f: Fixture = vendorVector;
    expect(f.request.body).toBe('{"key": "value"}');
    expect(f.answer).toMatchObject({ status: 422, code: "invalid_payload" });
    const issues = v.safeParse(sendcloud.schema, JSON.parse(f.request.body)).issues ?? [];
    expect(issues.map((i) => v.getDotPath(i))).toEqual(f.answer?.issues);
    expect(f.normalized).toBeNull();
  });
});
