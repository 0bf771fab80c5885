import { env } from "cloudflare:workers";
import { recordRejections } from "../../src/rejections/record-rejections";

/** A rejection counter row, written by the receiver's own writer (per hour, carrier, status, code). */
export async function rejection(at: Date, carrier: string, status: number, code: string, count = 1): Promise<void> {
  await recordRejections(env.DB, [{ hour: `${at.toISOString().slice(0, 13)}:00:00Z`, carrier, status, code, count }]);
}
