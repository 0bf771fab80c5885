// What people read about this source: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { dpdPl } from "./index";

export const about: CarrierAbout<typeof dpdPl> = {
  title: "DPD Polska InfoServices (pulled)",
  settings: {
    DPD_PL_LOGIN: {
      doc: "Login of the DPD Polska account whose event journal (InfoServices) DPD enabled; with the two below it turns the pull on.",
      example: "dev-dpd-login",
    },
    DPD_PL_PASSWORD: {
      doc: "Password of that login.",
      example: "dev-dpd-password",
    },
    DPD_PL_MASTER_FID: {
      doc: "The master FID (a number): sent as authDataV1's channel.",
      example: "1495",
    },
    DPD_PL_ENDPOINT: {
      doc: "InfoServices' address; unset: DPD's production endpoint. `npm run dev` runs a local fake of it here.",
      example: "http://127.0.0.1:8791/DPDInfoServicesObjEventsService/DPDInfoServicesObjEvents",
    },
  },
};
