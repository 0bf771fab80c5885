// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { postmen } from "./index";

export const about: CarrierAbout<typeof postmen> = {
  title: "Postmen",
  settings: {
    POSTMEN_WEBHOOK_SECRET: {
      doc: "The `secret` in the webhook URL (`/webhooks/postmen?secret=...`); required.",
      example: "dev-postmen-secret",
    },
    POSTMEN_HMAC_SECRET: {
      doc: "The webhook secret it signs `am-webhook-signature` with; when set, the signature is required.",
      example: "dev-postmen-hmac",
    },
  },
};
