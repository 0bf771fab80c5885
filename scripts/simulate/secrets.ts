import { existsSync, readFileSync } from "node:fs";
import type { Secrets } from "./types";

/** `NAME=value` lines of a .dev.vars-style file. */
function readVarsFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1]) vars[m[1]] = (m[2] ?? "").replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** The newest value of a comma-separated rotation list (the one a carrier would have been given). */
function newest(list: string | undefined): string | undefined {
  const values = (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return values[values.length - 1];
}

/**
 * The secrets to present: environment variables first, then .dev.vars (what `npm run dev` uses),
 * then .dev.vars.example (what `npm run dev` copies when .dev.vars is missing).
 */
export function loadSecrets(env: NodeJS.ProcessEnv = process.env, dir = "."): Secrets {
  const files = { ...readVarsFile(`${dir}/.dev.vars.example`), ...readVarsFile(`${dir}/.dev.vars`) };
  const get = (name: string) => newest(env[name] ?? files[name]);
  return {
    swiftpod: get("SWIFTPOD_WEBHOOK_SECRET") ?? "",
    postmen: get("POSTMEN_WEBHOOK_SECRET") ?? "",
    postmenHmac: get("POSTMEN_HMAC_SECRET") ?? null,
    peddler: get("PEDDLER_WEBHOOK_TOKEN") ?? "",
  };
}

/** Secrets from a map of Worker vars (as passed to `wrangler dev --var`). */
export function secretsFromVars(vars: Record<string, string>): Secrets {
  return loadSecrets(vars as NodeJS.ProcessEnv, "/nonexistent");
}
