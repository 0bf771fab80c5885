import type { CarrierSetting, ParsedSettings } from "../kit";

/** DPD Polska InfoServices' production endpoint (the WSDL's address without `?wsdl`); no sandbox exists. */
export const DPD_PL_ENDPOINT =
  "https://dpdinfoservices.dpd.com.pl/DPDInfoServicesObjEventsService/DPDInfoServicesObjEvents";

/** An identifier parcelhook sends (a var; it may also be set as a secret): null when unset. */
function identifier(rule?: (raw: string) => string | null): CarrierSetting<string | null> {
  return {
    kind: "var",
    parse: (raw) => {
      const problem = rule?.(raw);
      return problem ? { problem } : { value: raw };
    },
    fallback: null,
  };
}

/**
 * The password parcelhook sends: a secret, kept as the kit keeps secrets (a list), but of ONE
 * value, never split on commas (a password may hold one; there is nothing to rotate on our side).
 */
function password(): CarrierSetting<string[]> {
  return { kind: "secret", parse: (raw) => ({ value: [raw] }), fallback: [] };
}

export const dpdPlSettings = {
  DPD_PL_LOGIN: identifier(),
  DPD_PL_PASSWORD: password(),
  // The master FID goes into authDataV1's `channel` (carriers-next.md 5.2): a number.
  DPD_PL_MASTER_FID: identifier((raw) => (/^\d{1,12}$/.test(raw) ? null : "not a number (the master FID)")),
  DPD_PL_ENDPOINT: {
    kind: "var",
    parse: (raw) => {
      // A set but unusable endpoint leaves the source unconfigured (null), never falls back to
      // production: a mistyped test endpoint must not acknowledge a real journal.
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { problem: "not a URL", value: null };
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: "not an http(s) URL", value: null };
      if (url.username || url.password) return { problem: "credentials in the URL", value: null };
      return { value: url.toString() };
    },
    fallback: DPD_PL_ENDPOINT as string | null,
  } satisfies CarrierSetting<string | null>,
};

export type DpdPlSettings = ParsedSettings<typeof dpdPlSettings>;
