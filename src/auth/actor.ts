import type { Role } from "./roles";

/**
 * Who is acting: the bootstrap ADMIN_TOKEN, an API key, or a person signed in through Cloudflare
 * Access. `id` is what the audit log records and filters on: `admin_token`, `key:<key id>`, or
 * `access:<email>`.
 */
export interface Actor {
  id: string;
  /** A key's name or a person's email, for people reading the audit log. */
  name: string;
  roles: readonly Role[];
}

export const ADMIN_TOKEN_ACTOR: Actor = { id: "admin_token", name: "ADMIN_TOKEN", roles: ["admin"] };

/** What a scheduled job or a test acting outside any request records as its actor. */
export const SYSTEM_ACTOR: Actor = { id: "system", name: "system", roles: ["admin"] };
