import type { ParsedSettings } from "../kit";
import { secretSetting } from "../settings";

export const fedexSettings = {
  FEDEX_SECURITY_TOKEN: secretSetting(),
};

export type FedexSettings = ParsedSettings<typeof fedexSettings>;
