import { secretSetting } from "../settings";

export const peddlerSettings = {
  PEDDLER_WEBHOOK_TOKEN: secretSetting("The shared token it sends in `x-webhook-shared-token`.", "dev-peddler-token"),
};
