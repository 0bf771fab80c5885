import type { Carrier } from "../carrier";
import { type InpostPayload, inpostPayloadSchema } from "./inpost-payload-schema";
import { inpostEventKey, normalizeInpost } from "./normalize-inpost";
import { verifyInpostSender } from "./verify-inpost-sender";

export const inpost: Carrier<InpostPayload> = {
  name: "inpost",
  verifySender: verifyInpostSender,
  schema: inpostPayloadSchema,
  eventKey: inpostEventKey,
  normalize: normalizeInpost,
};
