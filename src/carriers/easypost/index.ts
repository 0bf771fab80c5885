import { defineCarrier } from "../kit";
import { easypostPayloadSchema } from "./easypost-payload-schema";
import { easypostSettings } from "./easypost-settings";
import { easypostEventKey, normalizeEasypost } from "./normalize-easypost";
import { verifyEasypostBody, verifyEasypostSender } from "./verify-easypost-sender";

export const easypost = defineCarrier({
  name: "easypost",
  color: "#d0488f",
  bodyFormat: 8,
  settings: easypostSettings,
  verifySender: verifyEasypostSender,
  verifyBody: verifyEasypostBody,
  schema: easypostPayloadSchema,
  eventKey: easypostEventKey,
  normalize: normalizeEasypost,
  eventTypes: ["shipment.status_changed", "unknown"],
});
