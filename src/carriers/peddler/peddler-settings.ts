import { secretSetting } from "../settings";

export const peddlerSettings = {
  PEDDLER_WEBHOOK_TOKEN: secretSetting(),
};
