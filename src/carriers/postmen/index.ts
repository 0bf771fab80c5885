import type { NormalizedEvent } from "../../events/normalized-event";
import { defineCarrier } from "../kit";
import { normalizePostmen, postmenEventKey } from "./normalize-postmen";
import { postmenPayloadSchema } from "./postmen-payload-schema";
import { postmenSettings } from "./postmen-settings";
import { verifyPostmenSender } from "./verify-postmen-sender";
import { verifyPostmenSignature } from "./verify-postmen-signature";

export const postmen = defineCarrier({
  name: "postmen",
  color: "#8a4fd6",
  bodyFormat: 3,
  settings: postmenSettings,
  verifySender: verifyPostmenSender,
  verifyBody: verifyPostmenSignature,
  schema: postmenPayloadSchema,
  eventKey: postmenEventKey,
  normalize: normalizePostmen,
  eventTypes: [
    "rates.calculated",
    "label.created",
    "label.cancelled",
    "manifest.created",
    "bulk_download.created",
    "unknown",
  ],
  shipmentTrackingNumbers: labelTrackingNumbers,
});

/**
 * A label names several parcels in `data.tracking_numbers` (the event's `tracking_number` is only
 * the first): each of them moves, so every parcel of a multi-piece label shows `pending`.
 */
function labelTrackingNumbers(event: NormalizedEvent): string[] {
  const numbers = event.tracking_number ? [event.tracking_number] : [];
  const listed = event.data?.tracking_numbers;
  if (Array.isArray(listed)) {
    for (const n of listed) if (typeof n === "string" && n !== "" && !numbers.includes(n)) numbers.push(n);
  }
  return numbers;
}
