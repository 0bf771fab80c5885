// Node side: starts the real receiver with one multi-config `wrangler dev` (workerd): the Hono app
// (primary, on its own port) and the queue consumer Worker, sharing the local D1 (migrations
// applied first) and the local queues, in their own storage folder.
//
// Configuration reaches both Workers through a `.dev.vars` file: wrangler gives `--var` and
// `--env-file` to the primary Worker only, and each Worker reads the `.dev.vars` beside its own
// config. So every run writes copies of the configs (paths made absolute) and one `.dev.vars` into
// a temporary folder, and starts wrangler on those copies.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { assertPortFree } from "../../scripts/lib/port-free";
import { carrierAbouts } from "../../src/carriers/about";

export interface Receiver {
  url: string;
  persistTo: string;
  /** The config copies wrangler runs on (primary first), and their folder with the `.dev.vars`. */
  configs: string[];
  /** Everything wrangler printed so far (both Workers' logs included). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  port: number;
  /** Extra vars and secrets for every Worker (written to the run's `.dev.vars`, over TEST_VARS). */
  vars?: Record<string, string>;
  /**
   * Wrangler configs, primary (the one with the HTTP routes) first. Defaults to the deployable
   * pair, the Hono app and the queue consumer Worker; `["wrangler.toml"]` alone runs ingest
   * without any consumer.
   */
  configs?: string[];
  /** A single config (kept for the benchmark's one-Worker config); same as `configs: [config]`. */
  config?: string;
  /** Changes a config's text before it is written (`name` is the original file's name). */
  edit?: (name: string, toml: string) => string;
  /** Storage folder; defaults to a fresh temporary one, removed on stop. */
  persistTo?: string;
  timeoutMs?: number;
  /** The inspector's port; defaults to `port + 1000` (give one inside your own port range). */
  inspectorPort?: number;
}

export const DEFAULT_CONFIGS = ["wrangler.toml", "wrangler.consumer.toml"];

/**
 * Every Worker's vars in end-to-end runs, load, faults, storage and the bench: each registered
 * carrier's `.dev.vars.example` value (its folder's about.ts `example`), some replaced by test values.
 */
export const TEST_VARS: Record<string, string> = {
  ...Object.fromEntries(
    [...(await carrierAbouts()).values()].flatMap((about) =>
      Object.entries(about.settings).flatMap(([name, s]) => (s.example === null ? [] : [[name, s.example]])),
    ),
  ),
  SWIFTPOD_WEBHOOK_SECRET: "test-swiftpod",
  POSTMEN_WEBHOOK_SECRET: "test-postmen",
  POSTMEN_HMAC_SECRET: "test-postmen-hmac",
  PEDDLER_WEBHOOK_TOKEN: "test-peddler",
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef0123",
  FORWARD_SIGNING_SECRET: "whsec_dGVzdC1mb3J3YXJkLXNpZ25pbmcta2V5LTMyYnl0ZXM=",
  DESTINATIONS_KEY: "test-destinations-key-of-at-least-32-chars",
};

const LOCAL_ONLY = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_COLOR: "1",
};

const wrangler = join(process.cwd(), "node_modules", ".bin", "wrangler");

/**
 * Writes copies of `configs` and a `.dev.vars` holding `vars` into `dir`, and returns the copies'
 * paths. Every relative path in a config (main, migrations_dir, any "./…" or "../…" value such as
 * an [alias] target) is made absolute, since wrangler resolves them against the config's folder.
 */
export function writeRunConfigs(
  dir: string,
  configs: string[],
  vars: Record<string, string>,
  edit: (name: string, toml: string) => string = (_, t) => t,
): string[] {
  mkdirSync(dir, { recursive: true });
  const copies = configs.map((config, i) => {
    const from = dirname(resolve(config));
    const absolute = (p: string) => JSON.stringify(resolve(from, p));
    const toml = edit(basename(config), readFileSync(config, "utf8"))
      .replace(/^(main|migrations_dir) = "([^"]+)"$/gm, (_, key: string, p: string) => `${key} = ${absolute(p)}`)
      .replace(/= "(\.\.?\/[^"]*)"/g, (_, p: string) => `= ${absolute(p)}`);
    // Numbered, so two configs of the same name (bench/ and the root) cannot overwrite each other.
    const copy = join(dir, `${i}-${basename(config)}`);
    writeFileSync(copy, toml);
    return copy;
  });
  writeFileSync(join(dir, ".dev.vars"), devVars(vars));
  return copies;
}

/** dotenv text; values are quoted, so commas, `#` and `=` survive. */
function devVars(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
    .join("");
}

export async function startReceiver(opts: StartOptions): Promise<Receiver> {
  // A receiver left running on the port (an earlier run that was killed) would answer /health and
  // the run would check that one's data instead of its own.
  await assertPortFree(opts.port);
  const own = opts.persistTo === undefined;
  const persistTo = opts.persistTo ?? mkdtempSync(join(tmpdir(), "parcelhook-"));
  const runDir = mkdtempSync(join(tmpdir(), "parcelhook-run-"));
  const configs = writeRunConfigs(
    runDir,
    opts.configs ?? (opts.config ? [opts.config] : DEFAULT_CONFIGS),
    { ...TEST_VARS, ...opts.vars },
    opts.edit,
  );
  const primary = configs[0] as string;
  const env = { ...process.env, ...LOCAL_ONLY };
  const migrate = spawnSync(
    wrangler,
    ["d1", "migrations", "apply", "DB", "--local", "-c", primary, "--persist-to", persistTo],
    { env, encoding: "utf8" },
  );
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr || migrate.stdout}`);

  const args = ["dev", ...configs.flatMap((c) => ["-c", c])];
  args.push("--ip", "127.0.0.1", "--port", String(opts.port), "--persist-to", persistTo);
  args.push("--show-interactive-dev-session=false", "--inspector-port", String(opts.inspectorPort ?? opts.port + 1000));
  // Own process group, so stop() ends wrangler and its workerd processes, and nothing else.
  const child = spawn(wrangler, args, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const stop = async () => {
    await killGroup(child);
    rmSync(runDir, { recursive: true, force: true });
    if (own) rmSync(persistTo, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, persistTo, configs, stop, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`wrangler dev did not become ready on ${url}:\n${output.slice(-4000)}`);
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
