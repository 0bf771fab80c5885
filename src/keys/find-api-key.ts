import type { Actor } from "../auth/actor";
import { isRole } from "../auth/roles";
import { useApiKey } from "./db/api-key-queries";
import { hashApiKey } from "./hash-api-key";

/** How long an isolate trusts what it read about a key: a revocation reaches every isolate within it. */
export const KEY_CACHE_MS = 60_000;
/** Bounds the cache under a spray of made-up keys (each costs one read, then is remembered). */
const MAX_CACHED = 1000;

export type KeyCheck = { ok: true; actor: Actor } | { ok: false; reason: "unknown_key" | "key_revoked" };

// Per isolate: key hash -> what D1 said and when. An unknown key is remembered too, so a key
// costs at most one D1 statement per isolate per minute whatever it is.
const cache = new Map<string, { check: KeyCheck; at: number; keyId: string | null }>();
let reads = 0;

/** D1 statements the key check ran in this isolate (bench/key-check-reads.ts reads it). */
export const keyCheckReads = () => reads;

/**
 * An API key's actor, or why it is refused. Costs at most one D1 statement per isolate per key per
 * minute, and that statement also records the use (`last_used_at`).
 */
export async function findApiKey(db: D1Database, key: string, now = Date.now()): Promise<KeyCheck> {
  const hash = await hashApiKey(key);
  const hit = cache.get(hash);
  if (hit && now - hit.at < KEY_CACHE_MS) return hit.check;
  reads++;
  const row = await useApiKey(db, hash, new Date(now).toISOString());
  let check: KeyCheck;
  if (!row) check = { ok: false, reason: "unknown_key" };
  else if (row.revoked_at !== null) check = { ok: false, reason: "key_revoked" };
  else {
    const roles = (JSON.parse(row.roles) as unknown[]).filter(isRole);
    check = { ok: true, actor: { id: `key:${row.id}`, name: row.name, roles } };
  }
  cache.delete(hash);
  if (cache.size >= MAX_CACHED) {
    for (const [h, entry] of cache) if (now - entry.at >= KEY_CACHE_MS) cache.delete(h);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  }
  cache.set(hash, { check, at: now, keyId: row?.id ?? null });
  return check;
}

/** Forgets a key in this isolate at once (its revocation); the others follow within KEY_CACHE_MS. */
export function forgetApiKey(id: string): void {
  for (const [hash, entry] of cache) if (entry.keyId === id) cache.delete(hash);
}
