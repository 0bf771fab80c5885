import { describe, expect, it } from "vitest";
import { newSecret, openSecret, openSecretWith, sealSecret } from "../../src/destinations";

const KEY = "unit-test-destinations-key-32-chars!!";
const OLD = "the-previous-destinations-key-32-chars";

describe("sealed destination secrets", () => {
  it("round-trips, with a fresh IV each time, and never holds the secret in the clear", async () => {
    const secret = newSecret();
    const a = await sealSecret([KEY], "dst_A", secret);
    const b = await sealSecret([KEY], "dst_A", secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret.slice(6, 20));
    expect(await openSecret([KEY], "dst_A", a)).toBe(secret);
    expect(await openSecret([KEY], "dst_A", b)).toBe(secret);
  });

  it("does not open under another destination's id, another key, or after tampering", async () => {
    const sealed = await sealSecret([KEY], "dst_A", newSecret());
    expect(await openSecret([KEY], "dst_B", sealed)).toBeNull();
    expect(await openSecret([OLD], "dst_A", sealed)).toBeNull();
    expect(await openSecret([], "dst_A", sealed)).toBeNull();
    const flipped = `${sealed.slice(0, -3)}${sealed.at(-3) === "A" ? "B" : "A"}${sealed.slice(-2)}`;
    expect(await openSecret([KEY], "dst_A", flipped)).toBeNull();
    expect(await openSecret([KEY], "dst_A", "whsec_plain")).toBeNull();
    expect(await openSecret([KEY], "dst_A", "v1.%%%")).toBeNull();
  });

  it("seals with the first key of the list and opens with any", async () => {
    const secret = newSecret();
    const old = await sealSecret([OLD], "dst_A", secret);
    expect(await openSecret([KEY, OLD], "dst_A", old)).toBe(secret);
    const fresh = await sealSecret([KEY, OLD], "dst_A", secret);
    expect(await openSecret([KEY], "dst_A", fresh)).toBe(secret);
    expect(await openSecret([OLD], "dst_A", fresh)).toBeNull();
  });

  it("says which key of the list opened it (0: the first, what a re-seal leaves)", async () => {
    const secret = newSecret();
    expect(await openSecretWith([KEY, OLD], "dst_A", await sealSecret([OLD], "dst_A", secret))).toEqual({
      secret,
      key: 1,
    });
    expect(await openSecretWith([KEY, OLD], "dst_A", await sealSecret([KEY], "dst_A", secret))).toEqual({
      secret,
      key: 0,
    });
    expect(await openSecretWith([KEY], "dst_A", await sealSecret([OLD], "dst_A", secret))).toBeNull();
  });

  it("new secrets are whsec_ + base64 of 32 random bytes", () => {
    const s = newSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(s.slice(6))).toHaveLength(32);
    expect(newSecret()).not.toBe(s);
  });
});
