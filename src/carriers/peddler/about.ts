// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { peddler } from "./index";

export const about: CarrierAbout<typeof peddler> = {
  title: "Peddler",
  settings: {
    PEDDLER_WEBHOOK_TOKEN: {
      doc: "The shared token it sends in `x-webhook-shared-token`.",
      example: "dev-peddler-token",
    },
  },
};
