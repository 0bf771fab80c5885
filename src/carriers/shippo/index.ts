import { defineCarrier } from "../kit";
import { normalizeShippo, shippoEventKey } from "./normalize-shippo";
import { type ShippoPayload, shippoPayloadSchema } from "./shippo-payload-schema";
import { shippoSettings } from "./shippo-settings";
import { verifyShippoBody, verifyShippoSender } from "./verify-shippo-sender";

/** Shippo: tracking (and label) webhooks for every carrier Shippo serves (docs/carriers/shippo.md). */
export const shippo = defineCarrier({
  name: "shippo",
  color: "#2a9d8f",
  bodyFormat: 12,
  settings: shippoSettings,
  verifySender: verifyShippoSender,
  verifyBody: verifyShippoBody,
  schema: shippoPayloadSchema,
  eventKey: shippoEventKey,
  normalize: normalizeShippo,
  eventTypes: ["shipment.status_changed", "label.created", "unknown"],
});

export type { ShippoPayload };
