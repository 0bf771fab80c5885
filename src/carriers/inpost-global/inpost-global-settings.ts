import type { ParsedSettings } from "../kit";
import { secretSetting } from "../settings";
import { publicKeySetting } from "./public-key-setting";

export const inpostGlobalSettings = {
  INPOST_GLOBAL_PUBLIC_KEY: publicKeySetting,
  INPOST_GLOBAL_HMAC_SECRET: secretSetting(),
};

export type InpostGlobalSettings = ParsedSettings<typeof inpostGlobalSettings>;
