// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { aftership } from "./index";

export const about: CarrierAbout<typeof aftership> = {
  title: "AfterShip Tracking",
  settings: {
    AFTERSHIP_WEBHOOK_SECRET: {
      doc: "AfterShip Tracking's webhook secret (Settings > Notifications, webhooks): keys the HMAC in aftership-hmac-sha256",
      example: "dev-aftership-secret",
    },
  },
};
