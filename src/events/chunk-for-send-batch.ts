/** Queues' `sendBatch` limits: 100 messages and 256 KB in all. */
export const SEND_BATCH_MESSAGES = 100;
export const SEND_BATCH_BYTES = 256_000;
/** Room per message for what Queues adds around a body (content type, ids): not documented, so generous. */
const PER_MESSAGE_OVERHEAD = 256;

const encoder = new TextEncoder();

/** A JSON body's size on the wire: UTF-8 bytes, not characters ("ą" is 2 bytes, one character). */
export function jsonBytes(body: unknown): number {
  return encoder.encode(JSON.stringify(body)).byteLength;
}

/**
 * Splits bodies into `sendBatch` calls that each stay within both limits. A body too large for any
 * batch still gets a chunk of its own, so the queue refuses it alone and never blocks the rest.
 */
export function chunkForSendBatch<T>(bodies: readonly T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const body of bodies) {
    const bytes = jsonBytes(body) + PER_MESSAGE_OVERHEAD;
    if (current.length > 0 && (current.length === SEND_BATCH_MESSAGES || size + bytes > SEND_BATCH_BYTES)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(body);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}
