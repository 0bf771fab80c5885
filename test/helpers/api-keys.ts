import { env } from "cloudflare:workers";
import type { Role } from "../../src/auth/roles";
import { storeQuarantine } from "../../src/db/store-quarantine";
import { newQuarantineId } from "../../src/events/new-event-id";
import { call } from "./post-webhook";

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

/** Creates an API key through the API with the bootstrap ADMIN_TOKEN; returns its id and the key. */
export async function createKey(name: string, roles: Role[]): Promise<{ id: string; key: string }> {
  const res = await call("/api/keys", { name, roles }, { headers: ADMIN });
  if (res.status !== 201) throw new Error(`POST /api/keys: ${res.status} ${await res.text()}`);
  return res.json();
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/**
 * A Peddler delivery an earlier, stricter schema refused, stored in quarantine as the receiver
 * stores one (the schema cannot change inside a test): a retry now turns it into an event.
 */
export async function quarantinedPeddler(body: Record<string, unknown>): Promise<string> {
  const id = newQuarantineId();
  await storeQuarantine(env.DB, {
    id,
    carrier: "peddler",
    receivedAt: new Date().toISOString(),
    requestUrl: "https://parcelhook.test/webhooks/peddler",
    rawBody: JSON.stringify(body),
    issues: [{ path: "status", message: "Invalid type" }],
  });
  return id;
}
