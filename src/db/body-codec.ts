/// <reference path="./node-zlib.d.ts" />
import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * How raw bodies and event `data` are kept in D1 (docs/retention-and-alerts.md has the numbers):
 * a BLOB of one format byte, the decoded length as a varint, then raw DEFLATE with a preset
 * dictionary. A carrier's raw body is deflated against its documented example payloads; `data`,
 * which is derived from the raw body, is deflated against that raw body, so it costs a few bytes
 * instead of being kept twice. DEFLATE is the runtime's own zlib (node:zlib, native in workerd):
 * synchronous (rowToEvent stays synchronous), faster than a JS copy, and nothing in the bundle.
 * Rows the first version wrote with fflate are the same format (test/fixtures/stored-bodies-v1.ts);
 * the stored length checks what inflate returns. Rows written before migrations/0005 hold TEXT and
 * are returned as they are.
 */
export type StoredBody = string | number[] | ArrayBuffer | Uint8Array;

const MAX_DICTIONARY = 32_768;
const INFLATE_SLACK = 65_536;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One frozen dictionary file, `public/body-dictionaries-v<N>.json` (N = the first format it holds;
 * scripts/body-dictionaries.ts writes each once and never again): per carrier, its format byte
 * (the carrier's `bodyFormat`), its documented example payloads (raw) and their normalized `data`
 * (data), as compact JSON. Rows stored with a format need these exact bytes: v1 holds formats 1-4,
 * and a new carrier gets a new file, loaded beside the older ones (src/db/body-dictionary-files.ts).
 */
export interface BodyDictionaries {
  format: Record<string, number>;
  raw: Record<string, string>;
  data: Record<string, string>;
}

// Each carrier's dictionaries, encoded once per isolate.
let formats: Record<string, number> | undefined;
const rawDictionaries = new Map<number, Uint8Array>();
const dataDictionaries = new Map<number, Uint8Array>();

/**
 * Sets the dictionaries for this isolate from every frozen file (the first call wins). The Hono
 * app loads them from its static assets (loadBodyDictionaries), which keeps them out of its bundle;
 * the consumer Worker has no assets and bundles the files (src/db/bundled-body-dictionaries.ts).
 */
export function useBodyDictionaries(files: BodyDictionaries | readonly BodyDictionaries[]): void {
  if (formats) return;
  const all: Record<string, number> = {};
  const list = (Array.isArray(files) ? files : [files]) as readonly BodyDictionaries[];
  for (const dictionaries of list) {
    for (const [carrier, format] of Object.entries(dictionaries.format)) {
      rawDictionaries.set(format, encoder.encode(dictionaries.raw[carrier] ?? ""));
      dataDictionaries.set(format, encoder.encode(dictionaries.data[carrier] ?? ""));
      all[carrier] = format;
    }
  }
  formats = all;
}

export const hasBodyDictionaries = (): boolean => formats !== undefined;

/** The raw body as stored: for the hot path's single INSERT, and for quarantine rows. */
export function encodeRawBody(carrier: string, rawBody: string): Uint8Array {
  const format = formatOf(carrier);
  return envelope(format, encoder.encode(rawBody), rawDictionaries.get(format));
}

/** The raw body exactly as received, from what encodeRawBody stored (or a TEXT row from before). */
export function decodeRawBody(stored: StoredBody): string {
  if (typeof stored === "string") return stored;
  return decoder.decode(open(bytesOf(stored), (format) => rawDictionaries.get(format)));
}

/** An event's `data` JSON as stored, deflated against its own raw body. */
export function encodeEventData(carrier: string, dataJson: string, rawBody: string): Uint8Array {
  const format = formatOf(carrier);
  return envelope(format, encoder.encode(dataJson), dataDictionary(format, encoder.encode(rawBody)));
}

/** An event's `data` JSON from what encodeEventData stored, given the row's stored raw body. */
export function decodeEventData(stored: StoredBody, storedRawBody: StoredBody): string {
  if (typeof stored === "string") return stored;
  const raw =
    typeof storedRawBody === "string"
      ? encoder.encode(storedRawBody)
      : open(bytesOf(storedRawBody), (format) => rawDictionaries.get(format));
  return decoder.decode(open(bytesOf(stored), (format) => dataDictionary(format, raw)));
}

function formatOf(carrier: string): number {
  if (!formats) throw new Error("the body dictionaries are not loaded (loadBodyDictionaries)");
  return Object.hasOwn(formats, carrier) ? (formats[carrier] ?? 0) : 0;
}

function dataDictionary(format: number, raw: Uint8Array): Uint8Array {
  const base = dataDictionaries.get(format) ?? new Uint8Array(0);
  // DEFLATE looks back 32 KiB at most: only the tail of a long dictionary can be referenced.
  if (raw.length >= MAX_DICTIONARY) return raw.subarray(raw.length - MAX_DICTIONARY);
  const joined = new Uint8Array(base.length + raw.length);
  joined.set(base);
  joined.set(raw, base.length);
  return joined.subarray(Math.max(0, joined.length - MAX_DICTIONARY));
}

function envelope(format: number, bytes: Uint8Array, dictionary: Uint8Array | undefined): Uint8Array {
  const body = deflateRawSync(bytes, dictionary?.length ? { level: 6, dictionary } : { level: 6 });
  const head: number[] = [format];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      head.push(n);
      break;
    }
    head.push((n & 0x7f) | 0x80);
  }
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function open(stored: Uint8Array, dictionaryOf: (format: number) => Uint8Array | undefined): Uint8Array {
  const format = stored[0];
  if (!formats) throw new Error("the body dictionaries are not loaded (loadBodyDictionaries)");
  if (format === undefined || (format !== 0 && !rawDictionaries.has(format))) {
    throw new Error(`stored body has unknown format ${format}`);
  }
  let length = 0;
  let i = 1;
  for (let shift = 0; ; shift += 7, i++) {
    const b = stored[i];
    if (b === undefined || shift > 28) throw new Error("stored body has a broken length");
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const dictionary = dictionaryOf(format);
  const body = stored.subarray(i + 1);
  // The stored length bounds the inflate: a broken or hostile row stops there instead of filling
  // the isolate's memory. workerd's inflate grows its output in chunks and refuses once the next
  // chunk would pass the limit, so an exact limit fails bodies over 64 KiB (measured: 16 KiB of
  // slack is enough, 1 KiB is not); the slack is one chunk's worth, and the length is checked below.
  const bounds = { maxOutputLength: length + INFLATE_SLACK };
  let out: Uint8Array;
  try {
    out = inflateRawSync(body, dictionary?.length ? { ...bounds, dictionary } : bounds);
  } catch (err) {
    throw new Error(`stored body does not inflate to its stored length ${length}: ${(err as Error)?.message ?? err}`);
  }
  if (out.length !== length) throw new Error("stored body has a broken length");
  return out;
}

/** D1 returns a BLOB as an array of numbers. */
function bytesOf(stored: Exclude<StoredBody, string>): Uint8Array {
  if (stored instanceof Uint8Array) return stored;
  if (stored instanceof ArrayBuffer) return new Uint8Array(stored);
  return Uint8Array.from(stored);
}
