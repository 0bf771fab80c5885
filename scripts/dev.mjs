// `npm run dev`: both Workers in one `wrangler dev` (the Hono app first, so it gets the port and
// the cron endpoint; the queue consumer Worker beside it, sharing the local D1 and queues), after
// the local migrations. wrangler dev runs no cron by itself, so this script triggers the Hono
// app's cron handler every minute, as Cloudflare would (GET /cdn-cgi/local/scheduled; wrangler also
// answers the older /cdn-cgi/handler/scheduled). Extra arguments go to wrangler dev
// (e.g. `npm run dev -- --port 8790`). Beside it, every pull source's local fake
// (scripts/pull-fakes.ts: DPD Polska's journal at DPD_PL_ENDPOINT), so the cron job has events to
// read. Ctrl-C ends wrangler, its workerd processes and the fakes.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

const CONFIGS = ["wrangler.toml", "wrangler.consumer.toml"];
const CRON_EVERY_MS = 60_000;
const args = process.argv.slice(2);
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

// Both configs sit in the repo root, so both Workers read this one .dev.vars.
if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("dev: created .dev.vars from .dev.vars.example");
}

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", ...persistArgs(args)], {
  env,
  stdio: "inherit",
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const port = optionValue(args, "--port") ?? "8787";
const ip = optionValue(args, "--ip") ?? "127.0.0.1";
const host = ip === "0.0.0.0" || ip === "*" ? "127.0.0.1" : ip;
const wranglerArgs = ["dev", ...CONFIGS.flatMap((c) => ["-c", c]), ...args];
// Its own process group: ending the group ends wrangler and both workerd processes, and nothing else.
// stdin is not passed on: a process outside the foreground group must not read the terminal (so
// wrangler's hotkeys are off; Ctrl-C still works, through this script).
const child = spawn("wrangler", wranglerArgs, { env, stdio: ["ignore", "inherit", "inherit"], detached: true });
// The pull sources' fakes, in their own process group too.
const fakes = spawn("node", ["scripts/run.mjs", "scripts/pull-fakes.ts"], {
  env,
  stdio: ["ignore", "inherit", "inherit"],
  detached: true,
});

console.log(
  `dev: the cron jobs run every ${CRON_EVERY_MS / 1000} s (GET http://${host}:${port}/cdn-cgi/local/scheduled)`,
);
const cron = setInterval(async () => {
  try {
    const res = await fetch(`http://${host}:${port}/cdn-cgi/local/scheduled`);
    if (!res.ok) console.error(`dev: cron trigger answered ${res.status}`);
  } catch (err) {
    console.error(`dev: cron trigger failed: ${err instanceof Error ? err.message : err}`);
  }
}, CRON_EVERY_MS);

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  clearInterval(cron);
  for (const group of [child, fakes]) {
    try {
      process.kill(-group.pid, signal);
    } catch {
      // already gone
    }
  }
  // wrangler normally exits within a second or two; make sure workerd does not outlive us.
  setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000).unref();
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
child.on("exit", (code, signal) => {
  clearInterval(cron);
  try {
    process.kill(-fakes.pid, "SIGTERM");
  } catch {
    // already gone
  }
  process.exit(code ?? (signal ? 0 : 1));
});

function optionValue(list, name) {
  for (let i = 0; i < list.length; i++) {
    if (list[i] === name) return list[i + 1];
    if (list[i].startsWith(`${name}=`)) return list[i].slice(name.length + 1);
  }
  return undefined;
}

/** The migrations go where wrangler dev will look: its --persist-to, when given. */
function persistArgs(list) {
  const dir = optionValue(list, "--persist-to");
  return dir === undefined ? [] : ["--persist-to", dir];
}
