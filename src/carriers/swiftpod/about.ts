// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { swiftpod } from "./index";

export const about: CarrierAbout<typeof swiftpod> = {
  title: "SwiftPOD",
  settings: {
    SWIFTPOD_WEBHOOK_SECRET: {
      doc: "The `secret` in the URL you subscribe (`/webhooks/swiftpod?secret=...`).",
      example: "dev-swiftpod-secret",
    },
  },
};
