// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { inpostGlobal } from "./index";

export const about: CarrierAbout<typeof inpostGlobal> = {
  title: "InPost Global",
  settings: {
    INPOST_GLOBAL_PUBLIC_KEY: {
      doc: "InPost's signing certificate(s) or public key(s), PEM (RSA x-inpost-signature)",
      example: null,
    },
    INPOST_GLOBAL_HMAC_SECRET: {
      doc: "HMAC key(s) agreed with InPost (HMAC x-inpost-signature)",
      example: "dev-inpost-global-hmac",
    },
  },
};
