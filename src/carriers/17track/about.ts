// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { track17 } from "./index";

export const about: CarrierAbout<typeof track17> = {
  title: "17TRACK",
  settings: {
    TRACK17_SECURITY_KEY: {
      doc: "17TRACK's API security key (the 17token value, API console > Settings): the sign header is the hex SHA-256 of the raw body + / + this key",
      example: "dev-17track-security-key",
    },
  },
};
