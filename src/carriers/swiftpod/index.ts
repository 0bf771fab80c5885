import type { Carrier } from "../carrier";
import { normalizeSwiftpod, swiftpodEventKey } from "./normalize-swiftpod";
import { type SwiftpodPayload, swiftpodPayloadSchema } from "./swiftpod-payload-schema";
import { verifySwiftpodSender } from "./verify-swiftpod-sender";

export const swiftpod: Carrier<SwiftpodPayload> = {
  name: "swiftpod",
  verifySender: verifySwiftpodSender,
  schema: swiftpodPayloadSchema,
  eventKey: swiftpodEventKey,
  normalize: normalizeSwiftpod,
};
