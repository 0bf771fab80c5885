// `node scripts/run.mjs scripts/body-dictionaries.ts > public/body-dictionaries-v1.json` wrote the
// frozen deflate dictionaries of formats 1-4 (src/db/body-codec.ts): per carrier, its documented
// example payloads (test/fixtures) as compact JSON, and the normalized `data` of each. Stored rows
// can be read only with the dictionary they were written with, so a change means a new file and a
// new format number, never an edit of an existing one.

import * as v from "valibot";
import { inpostPayloadSchema } from "../src/carriers/inpost/inpost-payload-schema";
import { normalizeInpost } from "../src/carriers/inpost/normalize-inpost";
import { normalizePeddler } from "../src/carriers/peddler/normalize-peddler";
import { peddlerPayloadSchema } from "../src/carriers/peddler/peddler-payload-schema";
import { normalizePostmen } from "../src/carriers/postmen/normalize-postmen";
import { postmenPayloadSchema } from "../src/carriers/postmen/postmen-payload-schema";
import { normalizeSwiftpod } from "../src/carriers/swiftpod/normalize-swiftpod";
import { swiftpodPayloadSchema } from "../src/carriers/swiftpod/swiftpod-payload-schema";
import { CARRIERS } from "../src/events/normalized-event";
import * as inpost from "../test/fixtures/inpost";
import * as peddler from "../test/fixtures/peddler";
import * as postmen from "../test/fixtures/postmen";
import * as swiftpod from "../test/fixtures/swiftpod";

const payloads = (m: Record<string, unknown>) =>
  Object.values(m).filter((x) => typeof x === "object" && x !== null && !Array.isArray(x));
const examples = {
  inpost: payloads(inpost),
  swiftpod: payloads(swiftpod),
  postmen: payloads(postmen),
  peddler: payloads(peddler),
};

// Schema and normalizer only (the carriers' index also pulls in their Worker-side sender checks).
const normalizers = {
  inpost: (p: unknown) => normalizeInpost(v.parse(inpostPayloadSchema, p)).data,
  swiftpod: (p: unknown) => normalizeSwiftpod(v.parse(swiftpodPayloadSchema, p)).data,
  postmen: (p: unknown) => normalizePostmen(v.parse(postmenPayloadSchema, p)).data,
  peddler: (p: unknown) => normalizePeddler(v.parse(peddlerPayloadSchema, p)).data,
};

const raw: Record<string, string> = {};
const data: Record<string, string> = {};
for (const name of CARRIERS) {
  raw[name] = examples[name].map((p) => JSON.stringify(p)).join("");
  data[name] = examples[name]
    .flatMap((p) => {
      try {
        return [JSON.stringify(normalizers[name](p))];
      } catch {
        return []; // an example of a payload the schema refuses (a quarantine test's)
      }
    })
    .join("");
}
const format = { inpost: 1, swiftpod: 2, postmen: 3, peddler: 4 };
console.log(JSON.stringify({ format, raw, data }, null, 1));
