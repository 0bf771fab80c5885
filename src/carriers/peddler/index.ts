import { defineCarrier } from "../kit";
import { normalizePeddler, peddlerEventKey } from "./normalize-peddler";
import { peddlerPayloadSchema } from "./peddler-payload-schema";
import { peddlerSettings } from "./peddler-settings";
import { verifyPeddlerSender } from "./verify-peddler-sender";

export const peddler = defineCarrier({
  name: "peddler",
  color: "#1c9c6b",
  bodyFormat: 4,
  settings: peddlerSettings,
  verifySender: verifyPeddlerSender,
  schema: peddlerPayloadSchema,
  eventKey: peddlerEventKey,
  normalize: normalizePeddler,
  eventTypes: ["shipment.status_changed"],
});
