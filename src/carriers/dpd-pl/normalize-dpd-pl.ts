import type { EventDraft } from "../../events/normalized-event";
import { dpdEventTime } from "./dpd-pl-event-time";
import type { DpdPlPayload } from "./dpd-pl-payload-schema";
import { dpdPlStatus } from "./dpd-pl-status";

const orNull = (s: string | undefined) => (s === undefined || s === "" ? null : s);

/**
 * An `INSERT` is a status change of its waybill (status by `businessCode`, carriers-next.md 8); a
 * `CANCEL` withdraws the `INSERT` with the same `objectId`, so it is `unknown` with no status, and
 * moves no shipment. `eventDataList` holds a redirect's or return's new waybill (230402/230403/230408).
 */
export function normalizeDpdPl(p: DpdPlPayload): EventDraft {
  const cancel = p.operationType === "CANCEL";
  const code = orNull(p.businessCode);
  return {
    type: cancel ? "unknown" : "shipment.status_changed",
    // The schema checked it reads.
    occurred_at: dpdEventTime(p.eventTime) as string,
    tracking_number: orNull(p.waybill),
    carrier_reference: p.objectId,
    status: cancel ? null : dpdPlStatus(code ?? ""),
    carrier_status: cancel ? "CANCEL" : code,
    reason: orNull(p.description),
    data: {
      operation: p.operationType,
      journal_id: orNull(p.id),
      depot: orNull(p.depot),
      country: orNull(p.country),
      package_reference: orNull(p.packageReference),
      parcel_reference: orNull(p.parcelReference),
      event_data: (p.eventDataList ?? []).filter((d) => d.code || d.value || d.description),
    },
  };
}

/**
 * Journal entries carry `objectId` (the event) and `operationType`: an `INSERT` and the `CANCEL`
 * that withdraws it share the `objectId`, and a re-read of an unacknowledged page repeats both
 * (carriers-next.md 5.4). `id` is unique too but exists only in V2 answers.
 */
export function dpdPlEventKey(p: DpdPlPayload): string {
  return `${p.operationType}|${p.objectId}`;
}
