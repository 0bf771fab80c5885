import { defineCarrier } from "../kit";
import { secretSetting } from "../settings";
import { type AftershipPayload, aftershipPayloadSchema } from "./aftership-payload-schema";
import { aftershipEventKey, normalizeAftership } from "./normalize-aftership";
import { verifyAftershipSender } from "./verify-aftership-sender";
import { verifyAftershipSignature } from "./verify-aftership-signature";

/** AfterShip Tracking: one route for every carrier AfterShip tracks (docs/carriers/aftership.md). */
export const aftership = defineCarrier({
  name: "aftership",
  color: "#f26b1d",
  bodyFormat: 5,
  settings: {
    AFTERSHIP_WEBHOOK_SECRET: secretSetting(),
  },
  verifySender: (ctx, s) => verifyAftershipSender(ctx, s.AFTERSHIP_WEBHOOK_SECRET),
  verifyBody: (ctx, rawBody, s) => verifyAftershipSignature(ctx, rawBody, s.AFTERSHIP_WEBHOOK_SECRET),
  schema: aftershipPayloadSchema,
  eventKey: aftershipEventKey,
  normalize: normalizeAftership,
  eventTypes: ["shipment.status_changed", "unknown"],
});

export type { AftershipPayload };
