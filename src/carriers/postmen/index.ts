import type { Carrier } from "../carrier";
import { normalizePostmen, postmenEventKey } from "./normalize-postmen";
import { type PostmenPayload, postmenPayloadSchema } from "./postmen-payload-schema";
import { verifyPostmenSender } from "./verify-postmen-sender";

export const postmen: Carrier<PostmenPayload> = {
  name: "postmen",
  verifySender: verifyPostmenSender,
  schema: postmenPayloadSchema,
  eventKey: postmenEventKey,
  normalize: normalizePostmen,
};
