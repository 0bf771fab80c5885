import type { EventDraft, EventType } from "../../events/normalized-event";
import { toUtcIso } from "../../time/to-utc-iso";
import { type ShippoPayload, type ShippoTrackingStatus, TRACK_EVENTS } from "./shippo-payload-schema";
import { shippoStatus } from "./shippo-status";

export function normalizeShippo(p: ShippoPayload): EventDraft {
  const d = p.data;
  const track = TRACK_EVENTS.has(p.event);
  const ts = statusObject(d.tracking_status);
  return {
    type: eventType(p),
    // status_date (UTC), else the status object's update time; else null, the time of receipt.
    occurred_at: track
      ? (utc(ts?.status_date) ?? utc(ts?.object_updated))
      : (utc(d.object_updated) ?? utc(d.object_created)),
    tracking_number: str(d.tracking_number),
    carrier_reference: track ? str(ts?.object_id) : str(d.object_id),
    status: track && ts ? shippoStatus(ts.status, ts.substatus?.code) : null,
    carrier_status: track ? (str(ts?.status) ?? null) : p.event,
    reason: track ? str(ts?.substatus?.text) : null,
    data: {
      event: p.event,
      test: p.test ?? null,
      // The carrier Shippo tracked (`usps`, `ups`, `dhl_express`...): the route serves all of them.
      carrier: str(d.carrier),
      substatus: str(ts?.substatus?.code),
      action_required: ts?.substatus?.action_required ?? null,
      status_details: str(ts?.status_details),
      servicelevel: str(d.servicelevel?.token),
      eta: str(d.eta),
      metadata: str(d.metadata),
      location: ts?.location
        ? {
            city: str(ts.location.city),
            state: str(ts.location.state),
            zip: str(ts.location.zip),
            country: str(ts.location.country),
          }
        : null,
      ...(track
        ? {}
        : {
            object_status: typeof d.status === "string" ? d.status : null,
            tracking_status: typeof d.tracking_status === "string" ? d.tracking_status : null,
          }),
    },
  };
}

/**
 * carriers-next.md 2.3: `carrier|tracking_number|tracking_status.object_id` (one per status Shippo
 * records, so a number registered twice and pushed twice is one event), else status and its date.
 * Other events: their name, the object's id and its update time.
 */
export function shippoEventKey(p: ShippoPayload): string {
  const d = p.data;
  if (!TRACK_EVENTS.has(p.event)) return `${p.event}|${d.object_id ?? ""}|${d.object_updated ?? ""}`;
  const ts = statusObject(d.tracking_status);
  const head = `${d.carrier ?? ""}|${d.tracking_number ?? ""}`;
  return ts?.object_id ? `${head}|${ts.object_id}` : `${head}|${ts?.status ?? ""}|${ts?.status_date ?? ""}`;
}

/** A bought label (`transaction_created` that succeeded) is `label.created`; other non-track events are `unknown`. */
function eventType(p: ShippoPayload): EventType {
  if (TRACK_EVENTS.has(p.event)) return "shipment.status_changed";
  return p.event === "transaction_created" && p.data.status === "SUCCESS" ? "label.created" : "unknown";
}

function statusObject(value: ShippoTrackingStatus | string | null | undefined): ShippoTrackingStatus | null {
  return typeof value === "object" && value !== null ? value : null;
}

function utc(value: string | null | undefined): string | null {
  return value ? toUtcIso(value) : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
