import { secretSetting } from "../settings";

export const swiftpodSettings = {
  SWIFTPOD_WEBHOOK_SECRET: secretSetting(),
};
