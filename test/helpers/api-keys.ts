import { env } from "cloudflare:workers";
import type { Role } from "../../src/auth/roles";
import { call } from "./post-webhook";

export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

/** Creates an API key through the API with the bootstrap ADMIN_TOKEN; returns its id and the key. */
export async function createKey(name: string, roles: Role[]): Promise<{ id: string; key: string }> {
  const res = await call("/api/keys", { name, roles }, { headers: ADMIN });
  if (res.status !== 201) throw new Error(`POST /api/keys: ${res.status} ${await res.text()}`);
  return res.json();
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
