import { defineCarrier } from "../kit";
import { type FedexPayload, fedexPayloadSchema } from "./fedex-payload-schema";
import { fedexSettings } from "./fedex-settings";
import { fedexEventKey, normalizeFedex } from "./normalize-fedex";
import { verifyFedexBody, verifyFedexSender } from "./verify-fedex-sender";

/** FedEx Advanced Integrated Visibility webhooks (docs/carriers/fedex.md). */
export const fedex = defineCarrier({
  name: "fedex",
  color: "#4d148c",
  bodyFormat: 10,
  settings: fedexSettings,
  verifySender: verifyFedexSender,
  verifyBody: verifyFedexBody,
  schema: fedexPayloadSchema,
  eventKey: fedexEventKey,
  normalize: normalizeFedex,
  eventTypes: ["shipment.status_changed", "unknown"],
});

export type { FedexPayload };
