import { defineCarrier } from "../kit";
import { secretSetting } from "../settings";
import { normalizeSendcloud } from "./normalize-sendcloud";
import { sendcloudEventKey } from "./sendcloud-event-key";
import { sendcloudPayloadSchema } from "./sendcloud-payload-schema";
import { verifySendcloudSender } from "./verify-sendcloud-sender";
import { verifySendcloudSignature } from "./verify-sendcloud-signature";

export const sendcloud = defineCarrier({
  name: "sendcloud",
  color: "#12b5cb",
  bodyFormat: 6,
  settings: {
    SENDCLOUD_WEBHOOK_SECRET: secretSetting(),
  },
  verifySender: verifySendcloudSender,
  verifyBody: verifySendcloudSignature,
  schema: sendcloudPayloadSchema,
  eventKey: sendcloudEventKey,
  normalize: normalizeSendcloud,
  eventTypes: ["shipment.status_changed", "unknown"],
});
