import type { EventDraft } from "../../events/normalized-event";
import { epochMsToIso } from "./epoch-ms-to-iso";
import {
  isIntegrationEvent,
  isParcelEvent,
  isReturnEvent,
  type SendcloudParcelEvent,
  type SendcloudPayload,
} from "./sendcloud-payload-schema";
import { sendcloudStatus } from "./sendcloud-status";

/**
 * A parcel's status change is `shipment.status_changed`; every other action (integration_*,
 * return_created, anything new) is `unknown` with its action in `carrier_status` and `data.action`
 * and its object whole in `data`: they say nothing about a parcel's whereabouts, and the
 * contract's types name none of them.
 */
export function normalizeSendcloud(p: SendcloudPayload): EventDraft {
  if (isParcelEvent(p)) return normalizeParcel(p);
  const [reference, details] = isIntegrationEvent(p)
    ? [p.integration.id, { integration: p.integration }]
    : isReturnEvent(p)
      ? [p.data.id, { return: p.data }]
      : [null, { payload: p }];
  return {
    type: "unknown",
    occurred_at: epochMsToIso(p.timestamp),
    tracking_number: null,
    carrier_reference: reference === null ? null : String(reference),
    status: null,
    carrier_status: p.action,
    reason: null,
    data: { action: p.action, sent_at: epochMsToIso(p.timestamp), ...details },
  };
}

function normalizeParcel(p: SendcloudParcelEvent): EventDraft {
  const { parcel } = p;
  return {
    type: "shipment.status_changed",
    // The carrier's time of the change; `timestamp` is when Sendcloud sent the webhook.
    occurred_at: epochMsToIso(p.carrier_status_change_timestamp ?? p.timestamp),
    // Before a parcel is announced its tracking number is "".
    tracking_number: parcel.tracking_number || null,
    carrier_reference: String(parcel.id),
    status: sendcloudStatus(parcel.status.id),
    carrier_status: parcel.status.message || String(parcel.status.id),
    reason: null,
    data: {
      action: p.action,
      sent_at: epochMsToIso(p.timestamp),
      status_id: parcel.status.id,
      carrier_code: parcel.carrier?.code ?? null,
      carrier_name: parcel.carrier?.name ?? null,
      shipping_method: parcel.shipment?.name ?? null,
      tracking_url: parcel.tracking_url ?? null,
      order_number: parcel.order_number ?? null,
      external_order_id: parcel.external_order_id ?? null,
      external_shipment_id: parcel.external_shipment_id ?? null,
      shipment_uuid: parcel.shipment_uuid ?? null,
      colli_uuid: parcel.colli_uuid ?? null,
      is_return: parcel.is_return ?? null,
    },
  };
}
