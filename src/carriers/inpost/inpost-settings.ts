import type { CarrierSetting } from "../kit";

const CIDR_LIST = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

export const inpostSettings = {
  INPOST_ALLOWED_CIDRS: {
    kind: "var",
    parse: (raw) =>
      raw.split(",").every((c) => CIDR_LIST.test(c.trim()))
        ? { value: raw }
        : { problem: "must be a comma-separated list of CIDRs such as 91.216.25.0/24" },
    fallback: "91.216.25.0/24",
  } satisfies CarrierSetting<string>,
};
