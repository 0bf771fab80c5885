// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { fedex } from "./index";

export const about: CarrierAbout<typeof fedex> = {
  title: "FedEx Advanced Integrated Visibility",
  settings: {
    FEDEX_SECURITY_TOKEN: {
      doc: "the security token of the FedEx webhook project (Developer Portal > My Projects > Webhooks): keys the base64 HMAC-SHA256 in fdx-signature",
      example: "dev-fedex-security-token",
    },
  },
};
