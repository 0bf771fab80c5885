// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { sendcloud } from "./index";

export const about: CarrierAbout<typeof sendcloud> = {
  title: "Sendcloud",
  settings: {
    SENDCLOUD_WEBHOOK_SECRET: {
      doc: "The integration's Secret Key (or its Webhook Signature Key) that signs `Sendcloud-Signature`.",
      example: "dev-sendcloud-secret",
    },
  },
};
