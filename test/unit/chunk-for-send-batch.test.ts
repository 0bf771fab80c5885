import { describe, expect, it } from "vitest";
import {
  chunkForSendBatch,
  jsonBytes,
  SEND_BATCH_BYTES,
  SEND_BATCH_MESSAGES,
} from "../../src/events/chunk-for-send-batch";

describe("chunkForSendBatch", () => {
  it("counts UTF-8 bytes, not characters", () => {
    expect(jsonBytes("ą")).toBe(4);
    expect(jsonBytes({ r: "ą".repeat(10) })).toBe(28);
  });

  it("keeps every chunk within 100 messages", () => {
    const chunks = chunkForSendBatch(Array.from({ length: 250 }, (_, i) => ({ id: `evt_${i}` })));
    expect(chunks.map((c) => c.length)).toEqual([SEND_BATCH_MESSAGES, SEND_BATCH_MESSAGES, 50]);
  });

  it("keeps every chunk within 256 KB of UTF-8, where a count by characters would not", () => {
    // 60,000 characters, 120,000 bytes each: three fit by characters, only two by bytes.
    const bodies = Array.from({ length: 5 }, (_, i) => ({ id: `evt_${i}`, r: "ą".repeat(60_000) }));
    const chunks = chunkForSendBatch(bodies);
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 1]);
    for (const c of chunks) expect(c.reduce((n, b) => n + jsonBytes(b), 0)).toBeLessThanOrEqual(SEND_BATCH_BYTES);
    expect(chunks.flat()).toEqual(bodies);
  });

  it("gives a body too large for any batch a chunk of its own", () => {
    const big = { id: "big", r: "x".repeat(300_000) };
    expect(chunkForSendBatch([{ id: "a" }, big, { id: "b" }])).toEqual([[{ id: "a" }], [big], [{ id: "b" }]]);
  });
});
