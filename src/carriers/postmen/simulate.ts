import { createHmac } from "node:crypto";
import { type Rng, uuid } from "../../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../../scripts/simulate/types";

/** Postmen's ISO time with an offset, `2016-09-26T07:15:30+00:00`. */
function postmenTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** `am-webhook-signature`: base64 HMAC-SHA256 of the raw body; one integration sees a `hmac-sha256=` prefix. */
export function postmenSignature(body: string, key: string, prefixed: boolean): string {
  const mac = createHmac("sha256", key).update(body).digest("base64");
  return prefixed ? `hmac-sha256=${mac}` : mac;
}

const OK = { code: 200, message: "OK", details: [], retryable: false };

function shipperAccount(rng: Rng) {
  const slug = rng.pick(["fedex", "dhl", "ups", "usps"]);
  return { id: uuid(rng), slug, description: `${slug} account` };
}

/** Node-only: what `npm run simulate`, load, faults and the bench send as this carrier. */
export const simulate: CarrierSim = {
  story(rng, _run, _n, start) {
    let at = new Date(Math.floor(start.getTime() / 1000) * 1000);
    const events: CarrierEvent[] = [];
    const account = shipperAccount(rng);
    const tracking = rng.digits(12);
    const labelId = uuid(rng);
    // Newer pages name the event field `event_type`: send both spellings.
    const eventField = rng.chance(0.3) ? "event_type" : "event";
    const push = (event: string, label: string, meta: unknown, data: Record<string, unknown>, tn: string | null) => {
      const stamp = postmenTime(at);
      events.push({
        carrier: "postmen",
        label,
        occurredAt: at,
        trackingNumber: tn,
        payload: {
          [eventField]: event,
          date_time: stamp,
          meta,
          data: { ...data, created_at: stamp, updated_at: stamp },
        },
      });
      at = new Date(at.getTime() + rng.int(5, 600) * 1000);
    };
    const partial = rng.chance(0.3);
    push(
      "calculate_rates",
      "calculate_rates",
      partial ? { code: 4713, message: "All or partial failed in rate request.", details: [], retryable: false } : OK,
      {
        id: uuid(rng),
        status: "calculated",
        rates: [
          {
            shipper_account: account,
            service_type: partial ? null : `${account.slug}_ground`,
            service_name: partial ? null : "Ground",
            pickup_deadline: null,
            booking_cut_off: null,
            delivery_date: null,
            transit_time: partial ? null : rng.int(1, 5),
            error_message: partial ? "Service unavailable" : null,
            info_message: null,
            charge_weight: partial ? null : { value: 1.5, unit: "kg" },
            total_charge: partial ? null : { amount: rng.int(500, 9000) / 100, currency: "USD" },
            detailed_charges: [],
          },
        ],
      },
      null,
    );
    const labelFiles = {
      label: { paper_size: "4x6", url: `https://files.postmen.example/label-${labelId}.pdf`, file_type: "pdf" },
      invoice: null,
      customs_declaration: null,
      manifest: null,
    };
    if (rng.chance(0.1)) {
      push(
        "create_a_label",
        "create_a_label:failed",
        { code: 4715, message: "Courier rejected the request.", details: [], retryable: false },
        {
          id: labelId,
          status: "failed",
          tracking_numbers: [],
          files: null,
          rate: null,
          references: [],
          shipper_account: account,
          service_type: `${account.slug}_ground`,
        },
        null,
      );
      return events;
    }
    push(
      "create_a_label",
      "create_a_label:created",
      OK,
      {
        id: labelId,
        status: "created",
        ship_date: at.toISOString().slice(0, 10),
        tracking_numbers: [tracking],
        files: labelFiles,
        rate: {
          shipper_account: account,
          service_type: `${account.slug}_ground`,
          total_charge: { amount: 12.5, currency: "USD" },
        },
        references: [`order-${rng.digits(6)}`],
        shipper_account: account,
        service_type: `${account.slug}_ground`,
      },
      tracking,
    );
    if (rng.chance(0.3)) {
      push(
        "cancel_a_label",
        "cancel_a_label:cancelled",
        OK,
        { id: uuid(rng), status: "cancelled", label: { id: labelId } },
        null,
      );
    } else {
      push(
        "manifest_a_label",
        "manifest_a_label",
        OK,
        {
          id: uuid(rng),
          status: "manifested",
          shipper_account: account,
          labels: [{ id: labelId, manifested: true }],
          files: {
            manifest: { paper_size: "a4", url: "https://files.postmen.example/manifest.pdf", file_type: "pdf" },
          },
        },
        null,
      );
    }
    push(
      "create_a_bulk_download",
      "create_a_bulk_download",
      OK,
      {
        id: uuid(rng),
        status: "created",
        files: { label: { paper_size: "4x6", url: "https://files.postmen.example/bulk.pdf", file_type: "pdf" } },
        labels: [{ id: labelId }],
        invalid_labels: [],
      },
      null,
    );
    return events;
  },
  sign(body, settings, rng) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (settings.POSTMEN_HMAC_SECRET)
      headers["am-webhook-signature"] = postmenSignature(body, settings.POSTMEN_HMAC_SECRET, rng.chance(0.3));
    return {
      method: "POST",
      path: `/webhooks/postmen?secret=${encodeURIComponent(settings.POSTMEN_WEBHOOK_SECRET ?? "")}`,
      headers,
      body,
    };
  },
  bad(rng, _run, settings) {
    const body = JSON.stringify({
      event: "cancel_a_label",
      date_time: postmenTime(new Date()),
      meta: OK,
      data: { id: uuid(rng), status: "cancelled", label: { id: uuid(rng) } },
    });
    const path = `/webhooks/postmen?secret=${encodeURIComponent(settings.POSTMEN_WEBHOOK_SECRET ?? "")}`;
    const signed = (b: string): Record<string, string> =>
      settings.POSTMEN_HMAC_SECRET
        ? { "am-webhook-signature": postmenSignature(b, settings.POSTMEN_HMAC_SECRET, false) }
        : {};
    const post = (label: string, p: string, headers: Record<string, string>, b: string, expectStatus: number) => ({
      label,
      method: "POST",
      path: p,
      headers: { "content-type": "application/json", ...headers },
      body: b,
      expectStatus,
    });
    const invalid = JSON.stringify({ event: "create_a_label", meta: "nope", data: 7 });
    const cases = [
      post(
        "wrong URL secret",
        `/webhooks/postmen?secret=${encodeURIComponent(`${settings.POSTMEN_WEBHOOK_SECRET}-x`)}`,
        signed(body),
        body,
        401,
      ),
      post("not an event", path, signed(invalid), invalid, 422),
    ];
    if (settings.POSTMEN_HMAC_SECRET) {
      cases.push(
        post(
          "signature of another body",
          path,
          { "am-webhook-signature": postmenSignature(`${body} `, settings.POSTMEN_HMAC_SECRET, false) },
          body,
          401,
        ),
      );
      cases.push(post("missing signature", path, {}, body, 401));
    }
    return cases;
  },
};
