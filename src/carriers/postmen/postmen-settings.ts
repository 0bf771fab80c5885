import { secretSetting } from "../settings";

export const postmenSettings = {
  POSTMEN_WEBHOOK_SECRET: secretSetting(
    "The `secret` in the webhook URL (`/webhooks/postmen?secret=...`); required.",
    "dev-postmen-secret",
  ),
  POSTMEN_HMAC_SECRET: secretSetting(
    "The webhook secret it signs `am-webhook-signature` with; when set, the signature is required.",
    "dev-postmen-hmac",
  ),
};
