// The kit's keys fetched from a URL (src/carriers/remote-keys.ts), with a fetch stand-in that counts
// its calls and a clock the test moves: how often the set is fetched under a flood, and what a
// lookup answers while the URL fails.
import { describe, expect, it } from "vitest";
import { MAX_AGE_MS, MIN_REFETCH_MS, parseJwks, RemoteKeySource } from "../../src/carriers/remote-keys";
import { about } from "../../src/carriers/shipengine/about";

const JWKS = about.settings.SHIPENGINE_PUBLIC_KEYS.example as string;
const KID = "parcelhook-test-2026-12";

/** A stand-in for the JWKS URL: answers `answer()` and counts the calls. */
function standIn(answer: () => Response | Promise<Response>) {
  const calls: string[] = [];
  const fetcher = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return answer();
  }) as typeof fetch;
  return { fetcher, calls };
}

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const ok = () => new Response(JWKS, { headers: { "content-type": "application/json" } });

describe("RemoteKeySource", () => {
  it("fetches once for a flood of unknown kids, then at most once a minute", async () => {
    const { fetcher, calls } = standIn(ok);
    const time = clock();
    const source = new RemoteKeySource("https://keys.test/flood", { fetcher, now: time.now });
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => source.lookup(`unknown-${i}`)));
    expect(answers.every((a) => "missing" in a)).toBe(true);
    expect(calls).toHaveLength(1);
    for (let i = 0; i < 1000; i++) {
      time.advance(50);
      await source.lookup(`later-${i}`);
    }
    // 50 s later: still the one fetch.
    expect(calls).toHaveLength(1);
    time.advance(MIN_REFETCH_MS);
    await Promise.all(Array.from({ length: 100 }, (_, i) => source.lookup(`again-${i}`)));
    expect(calls).toHaveLength(2);
  });

  it("finds a known kid without fetching again, and imports it as an RSA verification key", async () => {
    const { fetcher, calls } = standIn(ok);
    const source = new RemoteKeySource("https://keys.test/known", { fetcher, now: clock().now });
    for (let i = 0; i < 50; i++) {
      const found = await source.lookup(KID);
      if (!("key" in found)) throw new Error("the known kid was not found");
      expect([found.bytes, found.key.algorithm.name]).toEqual([256, "RSASSA-PKCS1-v1_5"]);
    }
    expect(calls).toHaveLength(1);
  });

  it("answers unavailable (never missing) while the URL fails, and retries at most once a minute", async () => {
    let up = false;
    const { fetcher, calls } = standIn(() => (up ? ok() : new Response("down", { status: 502 })));
    const time = clock();
    const source = new RemoteKeySource("https://keys.test/down", { fetcher, now: time.now });
    for (let i = 0; i < 200; i++) expect(await source.lookup(KID)).toEqual({ unavailable: "HTTP 502" });
    expect(calls).toHaveLength(1);
    expect(source.status()).toMatchObject({ fetchedAt: null, lastError: "HTTP 502", keys: 0 });
    up = true;
    time.advance(MIN_REFETCH_MS - 1);
    expect("unavailable" in (await source.lookup(KID))).toBe(true);
    time.advance(1);
    expect("key" in (await source.lookup(KID))).toBe(true);
    expect(calls).toHaveLength(2);
  });

  it("treats a network error, a timeout, a non-JWKS answer and an empty set as unavailable", async () => {
    const answers: (() => Response)[] = [
      () => {
        throw new TypeError("network");
      },
      () => new Response("<html>", { status: 200 }),
      () => new Response('{"keys":[{"kty":"EC","kid":"x","crv":"P-256"}]}'),
    ];
    for (const [i, answer] of answers.entries()) {
      const source = new RemoteKeySource(`https://keys.test/bad-${i}`, { fetcher: standIn(answer).fetcher });
      expect("unavailable" in (await source.lookup(KID)), String(i)).toBe(true);
    }
  });

  it("refreshes a set older than six hours, and keeps it when the refresh fails", async () => {
    let up = true;
    const { fetcher, calls } = standIn(() => (up ? ok() : new Response("", { status: 500 })));
    const time = clock();
    const source = new RemoteKeySource("https://keys.test/stale", { fetcher, now: time.now });
    expect("key" in (await source.lookup(KID))).toBe(true);
    up = false;
    time.advance(MAX_AGE_MS);
    expect("key" in (await source.lookup(KID))).toBe(true);
    expect(calls).toHaveLength(2);
    // A kid it has never seen, while the newest fetch failed: perhaps a new key, so 503, not 401.
    expect(await source.lookup("new-kid")).toEqual({ unavailable: "HTTP 500" });
  });
});

describe("parseJwks", () => {
  it("keeps RSA signing keys with a kid, and refuses what is not a JWKS", () => {
    const parsed = parseJwks(JWKS);
    expect("keys" in parsed && [...parsed.keys.keys()]).toEqual([KID]);
    const mixed = parseJwks(
      '{"keys":[{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},{"kty":"RSA","kid":"ps","alg":"PS256","n":"AQAB","e":"AQAB"},{"kty":"RSA","n":"AQAB","e":"AQAB"}]}',
    );
    expect("keys" in mixed && mixed.keys.size).toBe(0);
    expect(parseJwks("nope")).toEqual({ problem: "not JSON" });
    expect(parseJwks('{"kid":"x"}')).toEqual({ problem: 'not a JWKS ({"keys": [...]})' });
  });
});
