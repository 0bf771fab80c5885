import { ulid } from "../events/new-event-id";

/** Every key starts so: a secret scanner (or a person) can tell a parcelhook key at a glance. */
export const API_KEY_PREFIX = "phk_";

/**
 * A new key id (`key_` + ULID, public) and the key itself: `phk_` + 32 random bytes in base64url,
 * which is an RFC 6750 bearer token as it stands.
 */
export function newApiKey(now = Date.now()): { id: string; key: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  return { id: `key_${ulid(now)}`, key: `${API_KEY_PREFIX}${b64}` };
}
