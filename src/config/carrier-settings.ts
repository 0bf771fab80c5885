import { REGISTRY, type RegisteredCarrier } from "../carriers";
import type { CarrierSetting, ParsedSettings } from "../carriers/kit";
import type { ConfigProblem } from "./read-config";

/** Every registered carrier's parsed settings, by carrier name. */
export type CarrierSettings = {
  [C in RegisteredCarrier as C["name"]]: ParsedSettings<C["settings"]>;
};

/**
 * Parses each registered carrier's settings with its own rules. An unset or blank setting is its
 * fallback; a set one that its rule refuses is named in `problems` (never with its value) and
 * stands as the value the rule gave, or the fallback.
 */
export function parseCarrierSettings(
  vars: Record<string, string | undefined>,
  problems: ConfigProblem[],
): CarrierSettings {
  const all: Record<string, Record<string, unknown>> = {};
  for (const carrier of REGISTRY) {
    const parsed: Record<string, unknown> = {};
    for (const [name, setting] of Object.entries(carrier.settings as Record<string, CarrierSetting>)) {
      parsed[name] = parseSetting(name, setting, vars[name], problems);
    }
    all[carrier.name] = parsed;
  }
  return all as CarrierSettings;
}

function parseSetting(name: string, setting: CarrierSetting, raw: string | undefined, problems: ConfigProblem[]) {
  if (typeof raw !== "string" || raw.trim() === "") return setting.fallback;
  const result = setting.parse(raw.trim());
  if ("problem" in result) {
    problems.push({ name, message: result.problem });
    return result.value === undefined ? setting.fallback : result.value;
  }
  return result.value;
}

/** Every registered carrier's secret settings (kind `secret`), parsed, by env name. */
export function carrierSecretLists(carriers: CarrierSettings): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const carrier of REGISTRY) {
    const parsed = carriers[carrier.name] as Record<string, unknown>;
    for (const [name, setting] of Object.entries(carrier.settings as Record<string, CarrierSetting>)) {
      if (setting.kind === "secret") lists[name] = parsed[name] as string[];
    }
  }
  return lists;
}
