import { describe, expect, it } from "vitest";
import { secretList } from "../../src/config";
import { matchesAnySecret } from "../../src/security/matches-any-secret";

describe("matchesAnySecret", () => {
  const secrets = ["old-secret", "new-secret"];

  it("matches any value of a rotation list, whole values only", () => {
    expect(matchesAnySecret("old-secret", secrets)).toBe(true);
    expect(matchesAnySecret("new-secret", secrets)).toBe(true);
    for (const wrong of ["new-secre", "new-secret ", "new-secretx", "NEW-SECRET", "old-secret,new-secret", "x"]) {
      expect(matchesAnySecret(wrong, secrets), wrong).toBe(false);
    }
  });

  it("refuses a missing or empty value, and anything when nothing is configured", () => {
    expect(matchesAnySecret(null, secrets)).toBe(false);
    expect(matchesAnySecret(undefined, secrets)).toBe(false);
    expect(matchesAnySecret("", secrets)).toBe(false);
    expect(matchesAnySecret("old-secret", [])).toBe(false);
  });

  it("compares values longer than the padding width and non-ASCII values exactly", () => {
    const long = "s".repeat(300);
    expect(matchesAnySecret(long, [long])).toBe(true);
    expect(matchesAnySecret(`${long}s`, [long])).toBe(false);
    expect(matchesAnySecret(long.slice(1), [long])).toBe(false);
    // A short secret against a presented value that shares its first 64 bytes but is longer.
    const short = "k".repeat(10);
    expect(matchesAnySecret(`${short}${"\0".repeat(100)}`, [short])).toBe(false);
    expect(matchesAnySecret("zażółć", ["zażółć"])).toBe(true);
    expect(matchesAnySecret("zazolc", ["zażółć"])).toBe(false);
  });

  it("parses comma-separated lists, trimming blanks", () => {
    expect(secretList(" a, b ,,c ")).toEqual(["a", "b", "c"]);
    expect(secretList("")).toEqual([]);
    expect(secretList(undefined)).toEqual([]);
  });
});
