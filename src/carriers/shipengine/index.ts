import { defineCarrier } from "../kit";
import { normalizeShipengine, shipengineEventKey } from "./normalize-shipengine";
import { type ShipenginePayload, shipenginePayloadSchema } from "./shipengine-payload-schema";
import { shipengineSettings } from "./shipengine-settings";
import { shipengineHealth, verifyShipengineBody, verifyShipengineSender } from "./verify-shipengine-sender";

/** ShipEngine / ShipStation API v2 tracking webhooks, RSA-signed with keys from a JWKS (docs/carriers/shipengine.md). */
export const shipengine = defineCarrier({
  name: "shipengine",
  color: "#1e3a5f",
  bodyFormat: 13,
  settings: shipengineSettings,
  verifySender: verifyShipengineSender,
  verifyBody: verifyShipengineBody,
  schema: shipenginePayloadSchema,
  eventKey: shipengineEventKey,
  normalize: normalizeShipengine,
  eventTypes: ["shipment.status_changed", "unknown"],
  health: shipengineHealth,
});

export type { ShipenginePayload };
