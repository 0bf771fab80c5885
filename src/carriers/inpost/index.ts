import { defineCarrier } from "../kit";
import { inpostPayloadSchema } from "./inpost-payload-schema";
import { inpostSettings } from "./inpost-settings";
import { inpostEventKey, normalizeInpost } from "./normalize-inpost";
import { verifyInpostSender } from "./verify-inpost-sender";

export const inpost = defineCarrier({
  name: "inpost",
  color: "#f2b500",
  bodyFormat: 1,
  settings: inpostSettings,
  // InPost checks the URL with a GET before saving it: answer 200 from anywhere, reveal nothing.
  answersProbe: true,
  verifySender: verifyInpostSender,
  schema: inpostPayloadSchema,
  eventKey: inpostEventKey,
  normalize: normalizeInpost,
  eventTypes: ["shipment.status_changed", "shipment.offers_prepared", "unknown"],
});
