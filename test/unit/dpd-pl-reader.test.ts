// DPD Polska's pieces that are pure functions: the strict XML reader, Warsaw wall-clock time, the
// business-code table, and the SOAP answers the client refuses (fault with 200, no confirmId).
import { describe, expect, it } from "vitest";
import { dpdEventTime } from "../../src/carriers/dpd-pl/dpd-pl-event-time";
import { readDpdPlJournal } from "../../src/carriers/dpd-pl/dpd-pl-journal";
import { dpdPlStatus } from "../../src/carriers/dpd-pl/dpd-pl-status";
import { warsawWallClock } from "../../src/carriers/dpd-pl/fake";
import { readXml, XmlError } from "../../src/carriers/dpd-pl/read-xml";
import { PullError } from "../../src/carriers/pull-kit";

describe("readXml: strict", () => {
  it("reads prefixes, entities, CDATA and exact source spans", () => {
    const text = `<?xml version="1.0"?><!-- c --><S:E xmlns:S="u"><a x='1 &amp; 2'>&lt;b&gt; &#x142;&#243;<![CDATA[<raw>]]></a><b/></S:E>`;
    const root = readXml(text);
    expect([root.name, root.prefix, root.attributes]).toEqual(["E", "S", { "xmlns:S": "u" }]);
    const [a, b] = root.children;
    expect([a?.attributes.x, a?.text]).toEqual(["1 & 2", "<b> łó<raw>"]);
    expect(text.slice(b?.start, b?.end)).toBe("<b/>");
    expect(text.slice(a?.start, a?.end)).toMatch(/^<a x='1 &amp; 2'>.*<\/a>$/);
  });

  for (const [what, text] of [
    ["a DOCTYPE (no entity can expand)", `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`],
    ["an undeclared entity", "<a>&nbsp;</a>"],
    ["a mismatched end tag", "<a><b></a></b>"],
    ["an unclosed element", "<a><b></b>"],
    ["a second root", "<a/><b/>"],
    ["text outside the root", "<a/>junk"],
    ["an attribute given twice", `<a x="1" x="2"/>`],
    ["a bare &", "<a>fish & chips</a>"],
    ["an HTML page", "<html>maintenance"],
    ["nothing", "   "],
  ] as const) {
    it(`refuses ${what}`, () => {
      expect(() => readXml(text)).toThrow(XmlError);
    });
  }
});

describe("dpdEventTime: Europe/Warsaw wall clock to UTC", () => {
  it.each([
    ["2026-12-01T10:12:00", "2026-12-01T09:12:00.000Z"], // winter, +01:00
    ["2026-07-01T11:12:00", "2026-07-01T09:12:00.000Z"], // summer, +02:00
    ["2021-01-08T11:18:52.122", "2021-01-08T10:18:52.122Z"],
    ["2021-01-08T11:18:52.1229", "2021-01-08T10:18:52.122Z"], // three fraction digits kept
    // 2026-03-29: 02:00 local does not exist (clocks jump to 03:00); read as +01:00.
    ["2026-03-29T01:59:59", "2026-03-29T00:59:59.000Z"],
    ["2026-03-29T02:30:00", "2026-03-29T01:30:00.000Z"],
    ["2026-03-29T03:00:00", "2026-03-29T01:00:00.000Z"],
    // 2026-10-25: 02:00-02:59 local happens twice; the first (+02:00) is taken.
    ["2026-10-25T01:59:59", "2026-10-24T23:59:59.000Z"],
    ["2026-10-25T02:30:00", "2026-10-25T00:30:00.000Z"],
    ["2026-10-25T03:00:00", "2026-10-25T02:00:00.000Z"],
  ])("%s is %s", (local, utc) => {
    expect(dpdEventTime(local)).toBe(utc);
  });

  it.each(["2026-12-01T10:12:00Z", "2026-12-01T10:12:00+01:00", "2026-02-30T10:00:00", "2026-12-01 10:12", ""])(
    "refuses %j",
    (value) => {
      expect(dpdEventTime(value)).toBeNull();
    },
  );

  it("the fake's wall clock is its inverse on every hour of a year with both changes", () => {
    for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 3_600_000) {
      const at = new Date(t);
      const back = dpdEventTime(warsawWallClock(at));
      // Except the hour after October's change, whose wall clock repeats the hour before.
      if (t !== Date.parse("2026-10-25T01:00:00Z")) expect(back).toBe(at.toISOString());
    }
  });
});

describe("dpdPlStatus: carriers-next.md 8", () => {
  it.each([
    ["030103", "pending"],
    ["040200", "pending"],
    ["040605", "pending"],
    ["040101", "picked_up"],
    ["050101", "in_transit"],
    ["320123", "in_transit"],
    ["500150", "in_transit"],
    ["230402", "in_transit"],
    ["170101", "out_for_delivery"],
    ["190101", "delivered"],
    ["190104", "delivered"],
    ["511902", "delivered"],
    ["200101", "delivery_failed"],
    ["230309", "delivery_failed"],
    ["230403", "return_to_sender"],
    ["230408", "return_to_sender"],
    ["999999", "unknown"],
    ["", "unknown"],
    ["19010", "unknown"],
  ])("%j is %s", (code, status) => {
    expect(dpdPlStatus(code)).toBe(status);
  });
});

describe("the SOAP client refuses what is not a good answer", () => {
  const settings = {
    DPD_PL_LOGIN: "l",
    DPD_PL_PASSWORD: ["p"],
    DPD_PL_MASTER_FID: "1",
    DPD_PL_ENDPOINT: "http://dpd.test/x",
  };
  const answering = (status: number, body: string) => ({ fetch: async () => new Response(body, { status }) });
  const envelope = (inner: string) =>
    `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>${inner}</S:Body></S:Envelope>`;

  it("a SOAP fault answered with HTTP 200 is `refused`", async () => {
    const io = answering(
      200,
      envelope("<S:Fault><faultcode>S:Server</faultcode><faultstring>DeniedAccessWSException</faultstring></S:Fault>"),
    );
    const err = await readDpdPlJournal(settings, null, io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PullError);
    expect(err).toMatchObject({ failure: "refused", message: expect.stringContaining("DeniedAccessWSException") });
  });

  it("events without a confirmId are `unreachable` (they could never be acknowledged)", async () => {
    const io = answering(
      200,
      envelope(
        `<ns2:getEventsForCustomerV4Response xmlns:ns2="http://events.dpdinfoservices.dpd.com.pl/"><return><eventsList><objectId>1</objectId></eventsList></return></ns2:getEventsForCustomerV4Response>`,
      ),
    );
    await expect(readDpdPlJournal(settings, null, io)).rejects.toMatchObject({ failure: "unreachable" });
  });

  it("an empty journal is an empty page with nothing to confirm", async () => {
    const io = answering(
      200,
      envelope(
        `<ns2:getEventsForCustomerV4Response xmlns:ns2="http://events.dpdinfoservices.dpd.com.pl/"><return/></ns2:getEventsForCustomerV4Response>`,
      ),
    );
    expect(await readDpdPlJournal(settings, null, io)).toEqual({
      records: [],
      receipt: null,
      cursor: null,
      more: false,
    });
  });

  it("a 503 is `unreachable`, a 401 `refused`", async () => {
    await expect(readDpdPlJournal(settings, null, answering(503, "busy"))).rejects.toMatchObject({
      failure: "unreachable",
    });
    await expect(readDpdPlJournal(settings, null, answering(401, ""))).rejects.toMatchObject({ failure: "refused" });
  });
});
