import type { Carrier } from "../carrier";
import { normalizePostmen, postmenEventKey } from "./normalize-postmen";
import { type PostmenPayload, postmenPayloadSchema } from "./postmen-payload-schema";
import { verifyPostmenSender } from "./verify-postmen-sender";
import { verifyPostmenSignature } from "./verify-postmen-signature";

export const postmen: Carrier<PostmenPayload> = {
  name: "postmen",
  verifySender: verifyPostmenSender,
  verifyBody: verifyPostmenSignature,
  schema: postmenPayloadSchema,
  eventKey: postmenEventKey,
  normalize: normalizePostmen,
};
