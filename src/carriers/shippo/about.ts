// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { shippo } from "./index";

export const about: CarrierAbout<typeof shippo> = {
  title: "Shippo",
  settings: {
    SHIPPO_WEBHOOK_TOKEN: {
      doc: "the token you append to the webhook URL in Shippo (…/webhooks/shippo?token=<it>); either this, SHIPPO_HMAC_SECRET or both (then both must pass)",
      example: "dev-shippo-webhook-token",
    },
    SHIPPO_HMAC_SECRET: {
      doc: "the HMAC secret Shippo provisions on request: Shippo-Auth-Signature t=…,v1=… is the hex HMAC-SHA256 of t.body, t within 5 minutes",
      example: "dev-shippo-hmac-secret",
    },
  },
};
