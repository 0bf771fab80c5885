import { secretSetting } from "../settings";

export const postmenSettings = {
  POSTMEN_WEBHOOK_SECRET: secretSetting(),
  POSTMEN_HMAC_SECRET: secretSetting(),
};
