import type { ParsedSettings } from "../kit";
import { secretSetting } from "../settings";

export const easypostSettings = {
  EASYPOST_WEBHOOK_SECRET: secretSetting(
    "The `webhook_secret` of the EasyPost webhook: `X-Hmac-Signature` is checked with its NFKD form.",
    "dev-easypost-secret",
  ),
};

export type EasypostSettings = ParsedSettings<typeof easypostSettings>;
