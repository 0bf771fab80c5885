import * as v from "valibot";
import { type AccessConfig, parseAccessSettings } from "./access-settings";
import { type CarrierSettings, carrierSecretLists, parseCarrierSettings } from "./carrier-settings";
import { DEFAULTS, MIN_DESTINATIONS_KEY_CHARS, SECRET_LISTS, VAR_SCHEMAS } from "./config-schema";
import { MIN_CARRIER_SECRET, operatorTokenProblem } from "./operator-token";

type SecretName = (typeof SECRET_LISTS)[number];

/** A setting that was set but could not be used: named, never with a secret's value. */
export interface ConfigProblem {
  name: string;
  message: string;
}

/** Every setting of both Workers, parsed and typed once per env. */
export interface Config {
  maxBodyBytes: number;
  /** Where events are POSTed; null = forwarding is off, events are only stored. */
  forwardUrl: string | null;
  /** `whsec_…`; null when unset or unusable (then nothing is forwarded unsigned). */
  signingSecret: string | null;
  retryBaseSeconds: number;
  timeoutMs: number;
  retentionDays: number;
  /** How long the audit log keeps its rows (and the failed operator sign-ins' hourly counts). */
  auditRetentionDays: number;
  /** Cloudflare Access as the operators' sign-in; null = off. */
  access: AccessConfig | null;
  /** Where alerts are POSTed; null = no alerts. */
  alertUrl: string | null;
  /** `whsec_…` that signs alerts; null = alerts go unsigned (never the forwarding key: see sendAlert). */
  alertSigningSecret: string | null;
  carrierSilenceHours: number;
  storageBudgetBytes: number;
  eventsQueueName: string;
  deadLetterQueueName: string;
  /** Comma-list secrets, split and trimmed; empty = not configured. */
  secrets: Record<SecretName, string[]>;
  /** Each registered carrier's settings, parsed by its own rules (`config.carriers[name]`). */
  carriers: CarrierSettings;
  /**
   * The operator tokens the API, the dashboard and /metrics take: ADMIN_TOKEN's values when they
   * all pass operatorTokenProblem, else none (then `adminRefusal` says why, and they answer 503).
   */
  adminTokens: string[];
  adminRefusal: string | null;
  problems: ConfigProblem[];
  /** Settings that work but should be changed (a carrier secret shorter than 16 characters). */
  warnings: ConfigProblem[];
}

type VarName = keyof typeof VAR_SCHEMAS;
type Vars = Partial<Record<VarName | SecretName, string>> & Record<string, string | undefined>;

// Vars and secrets change only with a deploy: parse once per env object (once per isolate).
const cache = new WeakMap<object, Config>();

/** The typed configuration of this env; a bad value is logged once and listed in `problems`. */
export function readConfig(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env as Vars);
    for (const p of config.problems) {
      console.error(JSON.stringify({ msg: "config_invalid", name: p.name, problem: p.message }));
    }
    for (const w of config.warnings) {
      console.warn(JSON.stringify({ msg: "config_weak", name: w.name, problem: w.message }));
    }
    cache.set(env, config);
  }
  return config;
}

export function parseConfig(vars: Vars): Config {
  const problems: ConfigProblem[] = [];
  function read<N extends VarName>(name: N): v.InferOutput<(typeof VAR_SCHEMAS)[N]> | undefined {
    const raw = vars[name];
    if (typeof raw !== "string" || raw.trim() === "") return undefined;
    const result = v.safeParse(VAR_SCHEMAS[name], raw.trim());
    if (result.success) return result.output as v.InferOutput<(typeof VAR_SCHEMAS)[N]>;
    problems.push({ name, message: result.issues[0]?.message ?? "invalid" });
    return undefined;
  }
  const secrets = Object.fromEntries(SECRET_LISTS.map((n) => [n, secretList(vars[n])])) as Record<SecretName, string[]>;
  const shortKeys = secrets.DESTINATIONS_KEY.filter((k) => k.length < MIN_DESTINATIONS_KEY_CHARS);
  if (shortKeys.length > 0) {
    problems.push({
      name: "DESTINATIONS_KEY",
      message: `each value must be at least ${MIN_DESTINATIONS_KEY_CHARS} characters; the shorter ones are not used`,
    });
    secrets.DESTINATIONS_KEY = secrets.DESTINATIONS_KEY.filter((k) => k.length >= MIN_DESTINATIONS_KEY_CHARS);
  }
  const carriers = parseCarrierSettings(vars, problems);
  const access = parseAccessSettings(vars, problems);
  const tokenProblem = operatorTokenProblem(secrets.ADMIN_TOKEN);
  if (tokenProblem !== null) problems.push({ name: "ADMIN_TOKEN", message: tokenProblem });
  const adminRefusal =
    secrets.ADMIN_TOKEN.length === 0
      ? "ADMIN_TOKEN is not set."
      : tokenProblem && `ADMIN_TOKEN is refused: ${tokenProblem}.`;
  return {
    maxBodyBytes: read("MAX_BODY_BYTES") ?? DEFAULTS.MAX_BODY_BYTES,
    forwardUrl: read("FORWARD_URL") ?? null,
    signingSecret: read("FORWARD_SIGNING_SECRET") ?? null,
    retryBaseSeconds: read("FORWARD_RETRY_BASE_SECONDS") ?? DEFAULTS.FORWARD_RETRY_BASE_SECONDS,
    timeoutMs: read("FORWARD_TIMEOUT_MS") ?? DEFAULTS.FORWARD_TIMEOUT_MS,
    retentionDays: read("RETENTION_DAYS") ?? DEFAULTS.RETENTION_DAYS,
    auditRetentionDays: read("AUDIT_RETENTION_DAYS") ?? DEFAULTS.AUDIT_RETENTION_DAYS,
    access,
    alertUrl: read("ALERT_URL") ?? null,
    alertSigningSecret: read("ALERT_SIGNING_SECRET") ?? null,
    carrierSilenceHours: read("CARRIER_SILENCE_HOURS") ?? DEFAULTS.CARRIER_SILENCE_HOURS,
    storageBudgetBytes: read("STORAGE_BUDGET_BYTES") ?? DEFAULTS.STORAGE_BUDGET_BYTES,
    eventsQueueName: read("EVENTS_QUEUE_NAME") ?? DEFAULTS.EVENTS_QUEUE_NAME,
    deadLetterQueueName: read("DEAD_LETTER_QUEUE_NAME") ?? DEFAULTS.DEAD_LETTER_QUEUE_NAME,
    secrets,
    carriers,
    adminTokens: adminRefusal === null ? secrets.ADMIN_TOKEN : [],
    adminRefusal,
    problems,
    warnings: weakSecrets(carrierSecretLists(carriers)),
  };
}

/**
 * Splits a configured secret on commas, so a secret can be rotated by listing old and new
 * together. Unset or blank means "not configured".
 */
export function secretList(configured: string | undefined): string[] {
  if (!configured) return [];
  return configured
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Carrier secrets with a value shorter than MIN_CARRIER_SECRET, named (never the value). Written over
 * every secret list but the operator token, so a carrier's secrets are covered wherever they are
 * declared.
 */
export function weakSecrets(secrets: Readonly<Record<string, readonly string[]>>): ConfigProblem[] {
  return Object.entries(secrets)
    .filter(([name, values]) => name !== "ADMIN_TOKEN" && values.some((v) => v.length < MIN_CARRIER_SECRET))
    .map(([name]) => ({
      name,
      message: `a value is shorter than ${MIN_CARRIER_SECRET} characters: use a long random secret (openssl rand -hex 32)`,
    }));
}
