import type { ParsedSettings } from "../kit";
import { secretSetting } from "../settings";

export const track17Settings = {
  TRACK17_SECURITY_KEY: secretSetting(),
};

export type Track17Settings = ParsedSettings<typeof track17Settings>;
