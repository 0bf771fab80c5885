import type { ParsedSettings } from "../kit";
import { secretSetting } from "../settings";

export const easypostSettings = {
  EASYPOST_WEBHOOK_SECRET: secretSetting(),
};

export type EasypostSettings = ParsedSettings<typeof easypostSettings>;
