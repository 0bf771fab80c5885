import { defineCarrier } from "../kit";
import { inpostGlobalPayloadSchema } from "./inpost-global-payload-schema";
import { inpostGlobalSettings } from "./inpost-global-settings";
import { inpostGlobalEventKey, normalizeInpostGlobal } from "./normalize-inpost-global";
import { verifyInpostGlobalSender, verifyInpostGlobalSignature } from "./verify-inpost-global-signature";

/** InPost's international API (developers.inpost-group.com), not ShipX: docs/carriers/inpost-global.md. */
export const inpostGlobal = defineCarrier({
  name: "inpost-global",
  // A darker InPost gold: ShipX already has InPost's yellow.
  color: "#8c6d1f",
  bodyFormat: 7,
  settings: inpostGlobalSettings,
  verifySender: verifyInpostGlobalSender,
  verifyBody: verifyInpostGlobalSignature,
  schema: inpostGlobalPayloadSchema,
  eventKey: inpostGlobalEventKey,
  normalize: normalizeInpostGlobal,
  eventTypes: ["shipment.status_changed"],
});
