// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { easypost } from "./index";

export const about: CarrierAbout<typeof easypost> = {
  title: "EasyPost",
  settings: {
    EASYPOST_WEBHOOK_SECRET: {
      doc: "The `webhook_secret` of the EasyPost webhook: `X-Hmac-Signature` is checked with its NFKD form.",
      example: "dev-easypost-secret",
    },
  },
};
