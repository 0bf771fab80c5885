import { Webhook } from "standardwebhooks";

/** The three Standard Webhooks headers for one delivery. */
export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export type WebhookSigner = (id: string, body: string, at: Date) => WebhookHeaders;

/**
 * Builds a signer from `FORWARD_SIGNING_SECRET` (`whsec_` + base64 key) with the reference
 * `standardwebhooks` library (pure JS, so it runs in workerd as is). A missing or undecodable
 * secret is an error, never a reason to send unsigned.
 */
export function webhookSigner(secret: string | null): { sign: WebhookSigner } | { error: string } {
  if (secret === null) return { error: "FORWARD_SIGNING_SECRET is not set" };
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch {
    return { error: "FORWARD_SIGNING_SECRET is not a valid whsec_ base64 key" };
  }
  return {
    sign: (id, body, at) => ({
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": webhook.sign(id, at, body),
    }),
  };
}
