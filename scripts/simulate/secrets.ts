import { existsSync, readFileSync } from "node:fs";
import { REGISTRY } from "../../src/carriers";
import type { CarrierSetting } from "../../src/carriers/kit";
import type { SimSettings } from "./types";

/** `NAME=value` lines of a .dev.vars-style file (a double-quoted value may hold `\n`). */
export function readVarsFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m?.[1]) continue;
    const value = m[2] ?? "";
    const quoted = /^"(.*)"$/.exec(value);
    vars[m[1]] = quoted ? (quoted[1] ?? "").replaceAll("\\n", "\n") : value;
  }
  return vars;
}

/** The newest value of a comma-separated rotation list (the one a carrier would have been given). */
function newest(list: string): string {
  const values = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return values[values.length - 1] ?? "";
}

/**
 * Every registered carrier's settings as its sender would present them: environment variables
 * first, then .dev.vars (what `npm run dev` uses), then .dev.vars.example (what `npm run dev`
 * copies when .dev.vars is missing). A secret list gives its newest value; unset is "".
 */
export function loadSettings(env: Record<string, string | undefined> = process.env, dir = "."): SimSettings {
  const files = { ...readVarsFile(`${dir}/.dev.vars.example`), ...readVarsFile(`${dir}/.dev.vars`) };
  const settings: SimSettings = {};
  for (const carrier of REGISTRY) {
    for (const [name, setting] of Object.entries(carrier.settings as Record<string, CarrierSetting>)) {
      const raw = env[name] ?? files[name] ?? "";
      settings[name] = setting.kind === "secret" ? newest(raw) : raw;
    }
  }
  return settings;
}

/** Settings from a map of Worker vars (as passed to `wrangler dev --var`), nothing from files. */
export function settingsFromVars(vars: Record<string, string>): SimSettings {
  return loadSettings(vars, "/nonexistent");
}
