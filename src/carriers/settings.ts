import type { CarrierSetting } from "./kit";

/**
 * A secret or token: a comma list, any value of which passes, so it can be rotated without
 * dropping a delivery (`old,new`, switch the sender, then `new`). Empty = not configured.
 */
export function secretSetting(): CarrierSetting<string[]> {
  return {
    kind: "secret",
    parse: (raw) => ({
      value: raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    }),
    fallback: [],
  };
}
