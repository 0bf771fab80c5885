import type { EventDraft } from "../../events/normalized-event";
import { postmenEventType } from "./postmen-event-type";
import { postmenJobSucceeded } from "./postmen-job-succeeded";
import { type PostmenPayload, postmenEventName } from "./postmen-payload-schema";
import { postmenStatus } from "./postmen-status";

export function normalizePostmen(p: PostmenPayload): EventDraft {
  const event = postmenEventName(p);
  const type = postmenEventType(event);
  const succeeded = postmenJobSucceeded(p);
  return {
    type,
    occurred_at: p.date_time,
    tracking_number: p.data.tracking_numbers?.[0] ?? null,
    carrier_reference: p.data.id,
    status: postmenStatus(event, p.data.status, succeeded),
    carrier_status: p.data.status ?? null,
    reason: succeeded ? null : (p.meta.message ?? null),
    data: {
      event,
      succeeded,
      meta: {
        code: p.meta.code,
        message: p.meta.message ?? null,
        retryable: p.meta.retryable ?? null,
        details: p.meta.details ?? [],
      },
      created_at: p.data.created_at ?? null,
      updated_at: p.data.updated_at ?? null,
      ...details(type, p.data),
    },
  };
}

/** Each type's own details; an unknown event keeps its whole `data`, since what matters in it is unknown. */
function details(type: EventDraft["type"], d: PostmenPayload["data"]): Record<string, unknown> {
  switch (type) {
    case "rates.calculated":
      return { rates: d.rates ?? [] };
    case "label.created":
      return {
        label_id: d.id,
        tracking_numbers: d.tracking_numbers ?? [],
        label_url: labelUrl(d.files),
        files: d.files ?? null,
        ship_date: d.ship_date ?? null,
        service_type: d.service_type ?? null,
        shipper_account: d.shipper_account ?? null,
        rate: d.rate ?? null,
        references: d.references ?? [],
      };
    case "label.cancelled":
      return { label_id: d.label?.id ?? null };
    case "manifest.created":
      return { shipper_account: d.shipper_account ?? null, labels: d.labels ?? [], files: d.files ?? null };
    case "bulk_download.created":
      return { labels: d.labels ?? [], invalid_labels: d.invalid_labels ?? [], files: d.files ?? null };
    default:
      return { payload: d };
  }
}

/** `files.label.url`, the one link most consumers want, or null. */
function labelUrl(files: unknown): string | null {
  if (typeof files !== "object" || files === null) return null;
  const label = (files as { label?: unknown }).label;
  if (typeof label !== "object" || label === null) return null;
  const url = (label as { url?: unknown }).url;
  return typeof url === "string" ? url : null;
}

/**
 * Postmen sends no event id, and retries resend the same request, so the event is named by what
 * a retry repeats and a different event changes: the event, the job (`data.id`), its outcome
 * (`data.status`, `meta.code`) and Postmen's `date_time` (as UTC, so notation does not matter).
 */
export function postmenEventKey(p: PostmenPayload): string {
  return [postmenEventName(p), p.data.id, p.data.status ?? "", p.meta.code, p.date_time].join(":");
}
