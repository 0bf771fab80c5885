import { defineCarrier } from "../kit";
import { secretSetting } from "../settings";
import { easypostPayloadSchema } from "./easypost-payload-schema";
import { easypostEventKey, normalizeEasypost } from "./normalize-easypost";
import { verifyEasypostBody, verifyEasypostSender } from "./verify-easypost-sender";

export const easypost = defineCarrier({
  name: "easypost",
  title: "EasyPost",
  color: "#d0488f",
  bodyFormat: 8,
  settings: {
    EASYPOST_WEBHOOK_SECRET: secretSetting(
      "EasyPost webhook secret (`webhook_secret`): X-Hmac-Signature is checked with it",
      "easypost_test_secret",
    ),
  },
  verifySender: verifyEasypostSender,
  verifyBody: verifyEasypostBody,
  schema: easypostPayloadSchema,
  eventKey: easypostEventKey,
  normalize: normalizeEasypost,
  eventTypes: ["shipment.status_changed", "unknown"],
});
