import type { Carrier } from "../carrier";
import { normalizePeddler, peddlerEventKey } from "./normalize-peddler";
import { type PeddlerPayload, peddlerPayloadSchema } from "./peddler-payload-schema";
import { verifyPeddlerSender } from "./verify-peddler-sender";

export const peddler: Carrier<PeddlerPayload> = {
  name: "peddler",
  verifySender: verifyPeddlerSender,
  schema: peddlerPayloadSchema,
  eventKey: peddlerEventKey,
  normalize: normalizePeddler,
};
