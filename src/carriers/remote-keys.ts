// The carrier kit's "keys fetched from a URL": a sender that publishes its verification keys as a
// JWKS (ShipEngine's `https://api.shipengine.com/jwks`) names the URL; this module fetches it, keeps
// it per isolate, and answers "which key has this kid". The rules it keeps whatever the traffic:
// - at most one fetch per URL per minute per isolate, whether the last one failed or a flood of
//   unknown kids asks for a refresh (a concurrent miss waits for the fetch in flight);
// - a set older than six hours is refreshed on its next use, and kept if that refresh fails;
// - "unavailable" (the route answers 503, so the sender retries) is never confused with "no such
//   key" (401): a kid is unknown only once a fetch of the current set succeeded without it.

/** One JSON Web Key as a JWKS lists it (RFC 7517); only RSA signing keys are kept. */
export interface RsaJwk {
  kty: "RSA";
  kid: string;
  n: string;
  e: string;
  alg?: string;
}

export type KeyLookup = { key: CryptoKey; bytes: number } | { missing: true } | { unavailable: string };

export interface KeySourceStatus {
  url: string;
  /** When the set in use was fetched (ISO), or null. */
  fetchedAt: string | null;
  /** Why the last fetch failed, or null when it succeeded. */
  lastError: string | null;
  keys: number;
}

export const MIN_REFETCH_MS = 60_000;
export const MAX_AGE_MS = 6 * 3_600_000;
const TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * A JWKS document's RSA keys, by kid (others, and keys without a kid, are left out: no source
 * claims the set holds any), or a problem when it is not a JWKS at all. `alg`, when given, must be
 * RS256; `use`, when given, must be `sig`.
 */
export function parseJwks(text: string): { keys: Map<string, RsaJwk> } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  const list = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) return { problem: 'not a JWKS ({"keys": [...]})' };
  const keys = new Map<string, RsaJwk>();
  for (const k of list as Record<string, unknown>[]) {
    if (k?.kty !== "RSA" || typeof k.kid !== "string" || typeof k.n !== "string" || typeof k.e !== "string") continue;
    if (k.alg !== undefined && k.alg !== "RS256") continue;
    if (k.use !== undefined && k.use !== "sig") continue;
    keys.set(k.kid, { kty: "RSA", kid: k.kid, n: k.n, e: k.e });
  }
  return { keys };
}

// Importing a key costs more than a verify; a kid's key is imported once per isolate.
const imported = new Map<string, Promise<{ key: CryptoKey; bytes: number }>>();

/** The WebCrypto key of a JWK, for RSASSA-PKCS1-v1_5 / SHA-256 verification, and its modulus length. */
export function importRsaJwk(jwk: RsaJwk): Promise<{ key: CryptoKey; bytes: number }> {
  const id = `${jwk.kid}\n${jwk.n}\n${jwk.e}`;
  let entry = imported.get(id);
  if (!entry) {
    entry = crypto.subtle
      .importKey(
        "jwk",
        { kty: "RSA", n: jwk.n, e: jwk.e, ext: true },
        { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
        false,
        ["verify"],
      )
      .then((key) => ({ key, bytes: modulusBytes(jwk.n) }));
    // A key WebCrypto refuses is not cached, so a mended set is tried afresh.
    entry.catch(() => imported.delete(id));
    imported.set(id, entry);
  }
  return entry;
}

/** The modulus length in bytes of a base64url `n` (leading zero bytes dropped, as RFC 7518 wants none). */
function modulusBytes(n: string): number {
  const padded = n.replace(/=+$/, "");
  return Math.floor((padded.length * 6) / 8);
}

/** Looks a kid up in a pinned set (a setting): no fetch, so never unavailable. */
export async function lookupPinned(keys: Map<string, RsaJwk>, kid: string): Promise<KeyLookup> {
  const jwk = keys.get(kid);
  if (!jwk) return { missing: true };
  try {
    return await importRsaJwk(jwk);
  } catch {
    return { missing: true };
  }
}

interface SourceState {
  keys: Map<string, RsaJwk> | null;
  fetchedAt: number;
  lastAttemptAt: number;
  lastError: string | null;
  inflight: Promise<void> | null;
}

export interface KeySourceOptions {
  /** The fetch to use (a test's stand-in); default: the runtime's, looked up per call. */
  fetcher?: typeof fetch;
  /** The clock (a test's); default Date.now. */
  now?: () => number;
}

/** One JWKS URL's keys, shared by every request of this isolate. */
export class RemoteKeySource {
  private readonly state: SourceState = { keys: null, fetchedAt: 0, lastAttemptAt: 0, lastError: null, inflight: null };
  /** How many fetches were started (the benchmark and the tests read it). */
  fetches = 0;

  constructor(
    readonly url: string,
    private readonly options: KeySourceOptions = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The key with this kid: from the set in hand, else after one refresh if a minute has passed. */
  async lookup(kid: string): Promise<KeyLookup> {
    const s = this.state;
    const fresh = s.keys !== null && this.now() - s.fetchedAt < MAX_AGE_MS;
    if (!(fresh && s.keys?.has(kid))) await this.refresh();
    const jwk = s.keys?.get(kid);
    if (jwk) {
      try {
        return await importRsaJwk(jwk);
      } catch {
        return { missing: true };
      }
    }
    // Not known, and the newest attempt to learn the current set failed: it may be a new key.
    if (s.lastError !== null) return { unavailable: s.lastError };
    return { missing: true };
  }

  /** Fetches the set unless one was fetched (or tried) less than a minute ago; waits for one in flight. */
  async refresh(): Promise<void> {
    const s = this.state;
    if (s.inflight) return s.inflight;
    if (s.lastAttemptAt !== 0 && this.now() - s.lastAttemptAt < MIN_REFETCH_MS) return;
    s.lastAttemptAt = this.now();
    this.fetches++;
    s.inflight = this.fetchSet()
      .then((keys) => {
        s.keys = keys;
        s.fetchedAt = this.now();
        s.lastError = null;
      })
      .catch((err: unknown) => {
        s.lastError = err instanceof Error ? err.message : String(err);
        console.warn(JSON.stringify({ msg: "key_source_unavailable", url: this.url, problem: s.lastError }));
      })
      .finally(() => {
        s.inflight = null;
      });
    return s.inflight;
  }

  status(): KeySourceStatus {
    const s = this.state;
    return {
      url: this.url,
      fetchedAt: s.keys ? new Date(s.fetchedAt).toISOString() : null,
      lastError: s.lastError,
      keys: s.keys?.size ?? 0,
    };
  }

  private async fetchSet(): Promise<Map<string, RsaJwk>> {
    const fetcher = this.options.fetcher ?? fetch;
    let res: Response;
    try {
      res = await fetcher(this.url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new Error(`fetch failed: ${err instanceof Error ? err.name : "error"}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status}`);
    }
    const text = await res.text();
    if (text.length > MAX_JWKS_BYTES) throw new Error(`larger than ${MAX_JWKS_BYTES} bytes`);
    const parsed = parseJwks(text);
    if ("problem" in parsed) throw new Error(`the answer is ${parsed.problem}`);
    if (parsed.keys.size === 0) throw new Error("the set holds no RSA signing key");
    return parsed.keys;
  }
}

const sources = new Map<string, RemoteKeySource>();

/** The isolate's source for a JWKS URL (one per URL, so every request shares its cache and its limit). */
export function remoteKeySource(url: string, options?: KeySourceOptions): RemoteKeySource {
  let source = sources.get(url);
  if (!source) {
    source = new RemoteKeySource(url, options);
    sources.set(url, source);
  }
  return source;
}

/** Verifies an RSASSA-PKCS1-v1_5 / SHA-256 signature of `message` with a looked-up key. */
export function verifyRsaSha256(
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  message: Uint8Array,
): Promise<boolean> {
  return crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, message as Uint8Array<ArrayBuffer>);
}
