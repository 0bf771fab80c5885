// CPU time of the compact storage (src/db/body-codec.ts) per event, per carrier: what the hot path
// adds (deflating the raw body and `data`), and what each read costs (rowToEvent's inflate of both,
// the operator's decodeRawBody), against JSON.parse of the same body; stored sizes beside.

import type { Delivery } from "../../scripts/simulate/types";
import { findCarrier } from "../../src/carriers";
import {
  decodeEventData,
  decodeRawBody,
  encodeEventData,
  encodeRawBody,
  useBodyDictionaries,
} from "../../src/db/body-codec";
import { BUNDLED_BODY_DICTIONARIES } from "../../src/db/bundled-body-dictionaries";
import { parseJsonBody } from "../../src/webhooks/parse-json-body";
import { validatePayload } from "../../src/webhooks/validate-payload";

useBodyDictionaries(BUNDLED_BODY_DICTIONARIES);

export interface CodecRow {
  carrier: string;
  bodyBytes: number;
  storedRawBytes: number;
  dataBytes: number;
  storedDataBytes: number;
  encodeUs: number;
  readEventUs: number;
  decodeRawUs: number;
  parseUs: number;
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

function timeUs(n: number, f: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 2000); i++) f(i); // warm up
  const t0 = cpuMicros();
  for (let i = 0; i < n; i++) f(i);
  return (cpuMicros() - t0) / n;
}

export function measureCodec(byCarrier: Record<string, Delivery[]>, iterations = 5000): CodecRow[] {
  const rows: CodecRow[] = [];
  for (const [name, deliveries] of Object.entries(byCarrier)) {
    const carrier = findCarrier(name);
    if (!carrier) throw new Error(`${name} is not a registered carrier`);
    const items = deliveries.flatMap((d) => {
      const v = validatePayload(carrier.schema, parseJsonBody(new TextEncoder().encode(d.body)).value);
      if (!v.ok) return [];
      const data = JSON.stringify(carrier.normalize(v.output).data);
      const raw = encodeRawBody(name, d.body);
      return [{ body: d.body, data, raw: Array.from(raw), stored: Array.from(encodeEventData(name, data, d.body)) }];
    });
    const at = (i: number) => items[i % items.length] as (typeof items)[number];
    const avg = (f: (x: (typeof items)[number]) => number) =>
      Math.round(items.reduce((s, x) => s + f(x), 0) / items.length);
    let sink = 0;
    const encodeUs = timeUs(iterations, (i) => {
      const x = at(i);
      sink += encodeRawBody(name, x.body).length + encodeEventData(name, x.data, x.body).length;
    });
    // D1 hands a BLOB over as an array of numbers, as stored here.
    const readEventUs = timeUs(iterations, (i) => {
      const x = at(i);
      sink += JSON.parse(decodeEventData(x.stored, x.raw)) ? 1 : 0;
    });
    const decodeRawUs = timeUs(iterations, (i) => {
      sink += decodeRawBody(at(i).raw).length;
    });
    const parseUs = timeUs(iterations, (i) => {
      sink += JSON.parse(at(i).body) ? 1 : 0;
    });
    if (sink < 0) console.log(sink);
    rows.push({
      carrier: name,
      bodyBytes: avg((x) => Buffer.byteLength(x.body)),
      storedRawBytes: avg((x) => x.raw.length),
      dataBytes: avg((x) => Buffer.byteLength(x.data)),
      storedDataBytes: avg((x) => x.stored.length),
      encodeUs,
      readEventUs,
      decodeRawUs,
      parseUs,
    });
  }
  return rows;
}

export function printCodecTable(rows: CodecRow[]): void {
  console.log(
    "\n| carrier | body bytes | stored | data bytes | stored | store: encode both µs | read event: data µs | read raw body µs | JSON.parse µs |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.carrier} | ${r.bodyBytes} | ${r.storedRawBytes} | ${r.dataBytes} | ${r.storedDataBytes} | ${r.encodeUs.toFixed(1)} | ${r.readEventUs.toFixed(1)} | ${r.decodeRawUs.toFixed(1)} | ${r.parseUs.toFixed(1)} |`,
    );
  }
}
