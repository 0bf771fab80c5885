import { env } from "cloudflare:workers";
import { storeEvent } from "../../src/delivery/db/store-event";
import { newEventId } from "../../src/events/new-event-id";

/**
 * `n` events stored as the receiver stores them (storeEvent: `queued`, no queue message sent, so
 * no consumer moves them), received at `receivedAt`. Their ids and seqs, in order.
 */
export async function storeEvents(
  n: number,
  receivedAt = new Date().toISOString(),
): Promise<{ seq: number; id: string }[]> {
  const out: { seq: number; id: string }[] = [];
  for (let i = 0; i < n; i++) {
    const id = newEventId();
    await storeEvent(env.DB, {
      event: {
        id,
        carrier: "postmen",
        type: "shipment.status_changed",
        occurred_at: receivedAt,
        received_at: receivedAt,
        tracking_number: `STORED${i}`,
        carrier_reference: null,
        status: "in_transit",
        carrier_status: "x",
        reason: null,
        data: {},
      },
      dedupeKey: `postmen:${id}`,
      rawBody: "{}",
      requestUrl: "https://parcelhook.test/webhooks/postmen",
    });
    const row = await env.DB.prepare("SELECT seq FROM events WHERE id = ?1").bind(id).first<{ seq: number }>();
    out.push({ seq: row?.seq as number, id });
  }
  return out;
}
