import type { EventDraft } from "../../events/normalized-event";
import { toUtcIso } from "../../time/to-utc-iso";
import type { Track17Payload } from "./track17-payload-schema";
import { track17Status } from "./track17-status";

const UPDATED = "TRACKING_UPDATED";
const STOPPED = "TRACKING_STOPPED";

export function normalizeTrack17(p: Track17Payload): EventDraft {
  const d = p.data;
  const latest = d.track_info?.latest_status;
  const last = d.track_info?.latest_event;
  const updated = p.event === UPDATED;
  const status = updated ? track17Status(latest?.status, latest?.sub_status) : null;
  return {
    type: updated ? "shipment.status_changed" : "unknown",
    // time_utc, else time_iso only with a zone, else (always for TRACKING_STOPPED) the time of receipt.
    occurred_at: updated ? occurredAt(last?.time_utc, last?.time_iso) : null,
    tracking_number: d.number,
    carrier_reference: null,
    status,
    carrier_status: updated ? (str(latest?.sub_status) ?? str(latest?.status)) : p.event,
    reason: updated ? str(latest?.sub_status_descr) : null,
    data: {
      event: p.event,
      // 17TRACK's integer carrier code (3011 = China Post...): the route serves every carrier it tracks.
      carrier_code: d.carrier ?? null,
      tag: str(d.tag),
      status: str(latest?.status),
      sub_status: str(latest?.sub_status),
      description: str(last?.description),
      location: str(last?.location),
      stage: str(last?.stage),
      time_iso: str(last?.time_iso),
    },
  };
}

/**
 * carriers-next.md 3.2: `carrier|number|time|sub_status` for an update (time_utc, else time_iso),
 * `carrier|number|stopped` for the end of tracking; any other event also carries its name.
 */
export function track17EventKey(p: Track17Payload): string {
  const d = p.data;
  const head = `${d.carrier ?? ""}|${d.number}`;
  if (p.event === STOPPED) return `${head}|stopped`;
  const last = d.track_info?.latest_event;
  const latest = d.track_info?.latest_status;
  const tail = `${last?.time_utc ?? last?.time_iso ?? ""}|${latest?.sub_status ?? latest?.status ?? ""}`;
  return p.event === UPDATED ? `${head}|${tail}` : `${p.event}|${head}|${tail}`;
}

function occurredAt(timeUtc: string | null | undefined, timeIso: string | null | undefined): string | null {
  return (timeUtc ? toUtcIso(timeUtc) : null) ?? (timeIso ? toUtcIso(timeIso) : null);
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
