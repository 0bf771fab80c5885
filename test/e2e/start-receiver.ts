// Node side: starts the real receiver with `wrangler dev` (workerd, local D1 with migrations,
// local queues and their consumers) on its own port and its own storage folder.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Receiver {
  url: string;
  persistTo: string;
  /** Everything wrangler printed so far (the Worker's logs included). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  port: number;
  /** Extra vars and secrets, passed as `--var NAME:VALUE` (they override .dev.vars). */
  vars?: Record<string, string>;
  /** Wrangler config; defaults to the deployable receiver's. */
  config?: string;
  /** Storage folder; defaults to a fresh temporary one, removed on stop. */
  persistTo?: string;
  timeoutMs?: number;
}

export const TEST_VARS: Record<string, string> = {
  SWIFTPOD_WEBHOOK_SECRET: "test-swiftpod",
  POSTMEN_WEBHOOK_SECRET: "test-postmen",
  POSTMEN_HMAC_SECRET: "test-postmen-hmac",
  PEDDLER_WEBHOOK_TOKEN: "test-peddler",
  ADMIN_TOKEN: "test-admin",
  FORWARD_SIGNING_SECRET: "whsec_dGVzdC1mb3J3YXJkLXNpZ25pbmcta2V5LTMyYnl0ZXM=",
};

const LOCAL_ONLY = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_COLOR: "1",
};

const wrangler = join(process.cwd(), "node_modules", ".bin", "wrangler");

export async function startReceiver(opts: StartOptions): Promise<Receiver> {
  const own = opts.persistTo === undefined;
  const persistTo = opts.persistTo ?? mkdtempSync(join(tmpdir(), "parcelhook-"));
  const config = opts.config ?? "wrangler.toml";
  const env = { ...process.env, ...LOCAL_ONLY };
  const migrate = spawnSync(
    wrangler,
    ["d1", "migrations", "apply", "DB", "--local", "-c", config, "--persist-to", persistTo],
    {
      env,
      encoding: "utf8",
    },
  );
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr || migrate.stdout}`);

  const vars = { ...TEST_VARS, ...opts.vars };
  const args = ["dev", "-c", config, "--ip", "127.0.0.1", "--port", String(opts.port), "--persist-to", persistTo];
  args.push("--show-interactive-dev-session=false", "--inspector-port", String(opts.port + 1000));
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  // Own process group, so stop() ends wrangler and both workerd processes, and nothing else.
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
    if (own) rmSync(persistTo, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, persistTo, stop, output: () => output };
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
