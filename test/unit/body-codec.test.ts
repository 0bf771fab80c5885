import { describe, expect, it } from "vitest";
import { decodeEventData, decodeRawBody, encodeEventData, encodeRawBody } from "../../src/db/body-codec";
import { peddlerFailedAttempt } from "../fixtures/peddler";
import { STORED_V1 } from "../fixtures/stored-bodies-v1";

const asD1 = (bytes: Uint8Array) => Array.from(bytes); // D1 returns a BLOB as an array of numbers

describe("body codec (src/db/body-codec.ts)", () => {
  const cases: [string, string, string][] = [
    ["peddler, compact", "peddler", JSON.stringify(peddlerFailedAttempt)],
    [
      "postmen, pretty-printed with CRLF",
      "postmen",
      JSON.stringify({ a: 1, b: [1, 2] }, null, 2).replace(/\n/g, "\r\n"),
    ],
    ["swiftpod, non-ASCII and an emoji", "swiftpod", '{"name":"Zoë Łódź 📦","note":"\\u00e9"}'],
    ["an unknown carrier (no dictionary)", "dhl", '{"x":1}'],
    ["empty", "inpost", ""],
    ["over 32 KiB (longer than DEFLATE's window)", "inpost", JSON.stringify({ pad: "ab".repeat(40_000), end: 1 })],
  ];
  for (const [name, carrier, raw] of cases) {
    it(`gives the raw body back byte for byte: ${name}`, () => {
      const stored = encodeRawBody(carrier, raw);
      expect(decodeRawBody(asD1(stored))).toBe(raw);
      expect(decodeRawBody(stored)).toBe(raw);
      const data = JSON.stringify({ copied: raw.slice(0, 100), more: "value" });
      expect(decodeEventData(asD1(encodeEventData(carrier, data, raw)), asD1(stored))).toBe(data);
    });
  }

  it("stores a documented payload in a fraction of its size, and its data in a few bytes", () => {
    const raw = JSON.stringify({ ...peddlerFailedAttempt, id: "zz9", ts: "2026-01-02T03:04:05.678Z" });
    const data = JSON.stringify({
      failedStatus: peddlerFailedAttempt.failedStatus,
      details: peddlerFailedAttempt.details,
    });
    expect(encodeRawBody("peddler", raw).length).toBeLessThan(raw.length / 3);
    expect(encodeEventData("peddler", data, raw).length).toBeLessThan(data.length / 5);
  });

  for (const row of STORED_V1) {
    it(`reads a row as the first compact format stored it: ${row.carrier}, ${row.raw.length} characters`, () => {
      const storedRaw = asD1(hexBytes(row.storedRaw));
      expect(decodeRawBody(storedRaw)).toBe(row.raw);
      expect(decodeEventData(asD1(hexBytes(row.storedData)), storedRaw)).toBe(row.data);
    });
  }

  it("refuses a blob whose inflated length is not the length it was stored with", () => {
    const [row] = STORED_V1;
    const stored = hexBytes(row?.storedRaw ?? "");
    stored[1] = (stored[1] ?? 0) + 1;
    expect(() => decodeRawBody(stored)).toThrow(/broken length/);
  });

  it("returns TEXT rows written before the compact format as they are", () => {
    expect(decodeRawBody('{"old":true}')).toBe('{"old":true}');
    expect(decodeEventData('{"a":1}', '{"old":true}')).toBe('{"a":1}');
  });

  it("refuses a blob of an unknown format rather than return garbage", () => {
    expect(() => decodeRawBody([99, 1, 0])).toThrow(/unknown format/);
  });
});

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}
