import type { ParsedSettings } from "../kit";
import { secretSetting } from "../settings";

export const shippoSettings = {
  SHIPPO_WEBHOOK_TOKEN: secretSetting(),
  SHIPPO_HMAC_SECRET: secretSetting(),
};

export type ShippoSettings = ParsedSettings<typeof shippoSettings>;
