import { isRole } from "../auth/roles";
import { selectApiKeys } from "../keys/db/api-key-queries";
import type { ApiKey } from "./team-schemas";

/** Every API key, revoked ones too, newest first; never a key or its hash. */
export async function listKeys(db: D1Database): Promise<{ keys: ApiKey[] }> {
  const rows = await selectApiKeys(db);
  return {
    keys: rows.map((r) => ({ ...r, roles: (JSON.parse(r.roles) as unknown[]).filter(isRole) })),
  };
}
