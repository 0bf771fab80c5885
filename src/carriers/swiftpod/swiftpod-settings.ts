import { secretSetting } from "../settings";

export const swiftpodSettings = {
  SWIFTPOD_WEBHOOK_SECRET: secretSetting(
    "The `secret` in the URL you subscribe (`/webhooks/swiftpod?secret=...`).",
    "dev-swiftpod-secret",
  ),
};
