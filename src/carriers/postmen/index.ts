// Placeholder until this carrier's folder is written: refuses every delivery as not configured.
import * as v from "valibot";
import type { Carrier } from "../carrier";

export const postmen: Carrier<unknown> = {
  name: "postmen",
  verifySender: async () => "not_configured",
  schema: v.unknown(),
  eventKey: () => "",
  normalize: () => {
    throw new Error("not implemented");
  },
};
