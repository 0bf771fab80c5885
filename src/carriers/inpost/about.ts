// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { inpost } from "./index";

export const about: CarrierAbout<typeof inpost> = {
  title: "InPost ShipX",
  settings: {
    INPOST_ALLOWED_CIDRS: {
      doc: "The addresses its webhooks come from (comma-separated CIDRs); InPost signs nothing.",
      example: "91.216.25.0/24",
    },
  },
};
