import { defineCarrier } from "../kit";
import { normalizeSwiftpod, swiftpodEventKey } from "./normalize-swiftpod";
import { swiftpodPayloadSchema } from "./swiftpod-payload-schema";
import { swiftpodSettings } from "./swiftpod-settings";
import { verifySwiftpodSender } from "./verify-swiftpod-sender";

export const swiftpod = defineCarrier({
  name: "swiftpod",
  color: "#2f7de1",
  bodyFormat: 2,
  settings: swiftpodSettings,
  verifySender: verifySwiftpodSender,
  schema: swiftpodPayloadSchema,
  eventKey: swiftpodEventKey,
  normalize: normalizeSwiftpod,
  eventTypes: ["order.status_changed", "shipment.status_changed", "stock.status_changed", "unknown"],
});
