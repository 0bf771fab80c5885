import type { EventDraft } from "../../events/normalized-event";
import { type FedexPayload, fedexResult, fedexTrackingNumber } from "./fedex-payload-schema";
import { FEDEX_REASON_STATUSES, fedexStatus } from "./fedex-status";
import { newestScan } from "./newest-scan";

export function normalizeFedex(p: FedexPayload): EventDraft {
  const result = fedexResult(p);
  const newest = newestScan(result.scanEvents);
  const latest = result.latestStatusDetail;
  const code = str(newest?.scan.eventType) ?? str(latest?.code);
  const status = fedexStatus(code);
  const scan = newest?.scan;
  const location = scan?.scanLocation ?? latest?.scanLocation;
  return {
    type: code === null ? "unknown" : "shipment.status_changed",
    // No scan with an offset: null, the time of receipt (carriers-next.md section 8), never a guessed zone.
    occurred_at: newest?.at ?? null,
    tracking_number: fedexTrackingNumber(p),
    carrier_reference: str(result.trackingNumberInfo?.trackingNumberUniqueId),
    status,
    carrier_status: code,
    reason: str(scan?.exceptionDescription) ?? (FEDEX_REASON_STATUSES.has(status) ? str(scan?.eventDescription) : null),
    data: {
      carrier_code: str(result.trackingNumberInfo?.carrierCode),
      scan_date: str(scan?.date),
      event_description: str(scan?.eventDescription),
      derived_status_code: str(scan?.derivedStatusCode),
      derived_status: str(scan?.derivedStatus),
      exception_code: str(scan?.exceptionCode),
      latest_status: latest
        ? { code: str(latest.code), derived_code: str(latest.derivedCode), description: str(latest.description) }
        : null,
      location: location
        ? {
            city: str(location.city),
            state: str(location.stateOrProvinceCode),
            postal_code: str(location.postalCode),
            country: str(location.countryCode),
          }
        : null,
      scans: result.scanEvents?.length ?? 0,
    },
  };
}

/**
 * The newest scan's tracking number, code and time (carriers-next.md 4.3): FedEx's extra payloads
 * about one scan (proof of delivery, a new estimate) collapse into one event. Without a dated scan,
 * the latest status detail as a whole. `outputMetaData` changes per attempt and is never part of it.
 */
export function fedexEventKey(p: FedexPayload): string {
  const result = fedexResult(p);
  const newest = newestScan(result.scanEvents);
  const tracking = fedexTrackingNumber(p) ?? "";
  if (newest) return `${tracking}|${newest.scan.eventType ?? ""}|${newest.at}`;
  return `${tracking}|status|${JSON.stringify(result.latestStatusDetail ?? null)}`;
}

/** A non-empty string, else null. */
function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
