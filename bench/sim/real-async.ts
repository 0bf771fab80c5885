// The real asynchronous work production code awaits that no D1 gate parks: WebCrypto (signatures,
// digests, the destinations' secret box) and reading a request's or response's body. Each resolves
// on workerd's own event loop, later under load than on an idle machine. The scheduler counts them
// as it counts a released D1 round trip (`inflight`) and settles only when none is pending, so a
// schedule no longer depends on how fast this machine happens to be (seeds 165, 233 and 1046 failed
// in a run beside two others and passed alone before this). Installed once, in the sim Worker only.

type Track = <T>(work: Promise<T>) => Promise<T>;
let track: Track = (work) => work;

/** Routes every tracked promise through `fn` (the current scheduler's counter). */
export function onRealAsync(fn: Track): void {
  track = fn;
}

function wrap(target: object | undefined, names: readonly string[]): void {
  if (!target) return;
  for (const name of names) {
    const original = (target as Record<string, unknown>)[name];
    if (typeof original !== "function") continue;
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        return track(Promise.resolve(original.apply(this, args)));
      },
    });
  }
}

wrap(Object.getPrototypeOf(crypto.subtle), [
  "digest",
  "sign",
  "verify",
  "importKey",
  "exportKey",
  "deriveKey",
  "deriveBits",
  "encrypt",
  "decrypt",
  "generateKey",
]);
const BODY = ["text", "json", "arrayBuffer", "bytes", "blob", "formData"] as const;
wrap(Request.prototype, BODY);
wrap(Response.prototype, BODY);
