// `npm run deploy` (scripts/deploy.mjs) against a stand-in `wrangler` first on PATH, which records
// each call and plays an account where some queues or the database do not exist yet. No network:
// what is checked is the order of the steps, which a real deploy depends on (the consumer's deploy
// fails on a missing queue, migrations need the database, the app must not take webhooks before
// the schema is there).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "parcelhook-deploy-"));
const log = join(dir, "calls.log");
writeFileSync(
  join(dir, "wrangler"),
  `#!/usr/bin/env bash
echo "$*" >> "${log}"
case "$1 $2" in
  "queues info") [[ " $MISSING_QUEUES " == *" $3 "* ]] && exit 1; exit 0 ;;
  "queues create") [ -n "$CREATE_ERROR" ] && { echo "$CREATE_ERROR" >&2; exit 1; }; exit 0 ;;
  "d1 info")
    # What wrangler 4 prints for a database the account does not have, or another failure.
    [ "$DB_MISSING" = 1 ] && { echo "✘ [ERROR] Couldn't find a D1 DB named '$3' (bound as 'DB') in the API. Run 'wrangler d1 create $3' to create it." >&2; exit 1; }
    [ -n "$DB_INFO_ERROR" ] && { echo "$DB_INFO_ERROR" >&2; exit 1; }
    exit 0 ;;
esac
exit 0
`,
);
chmodSync(join(dir, "wrangler"), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deploy(
  args: string[],
  env: Record<string, string>,
  cwd = process.cwd(),
): { status: number | null; calls: string[]; out: string } {
  rmSync(log, { force: true });
  const result = spawnSync(process.execPath, [join(process.cwd(), "scripts/deploy.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}`, ...env },
  });
  let calls: string[] = [];
  try {
    calls = readFileSync(log, "utf8").trim().split("\n");
  } catch {
    // no call made
  }
  return { status: result.status, calls, out: result.stdout + result.stderr };
}

describe("npm run deploy", () => {
  it("first deploy: creates both queues, lets the consumer's deploy create the database, migrates, then deploys the app", () => {
    const { status, calls } = deploy([], { MISSING_QUEUES: "carrier-events carrier-events-dlq", DB_MISSING: "1" });
    expect(status).toBe(0);
    expect(calls).toEqual([
      "queues info carrier-events",
      "queues create carrier-events",
      "queues info carrier-events-dlq",
      "queues create carrier-events-dlq",
      "d1 info parcelhook -c wrangler.toml",
      "deploy -c wrangler.consumer.toml",
      "d1 migrations apply DB --remote -c wrangler.toml",
      "deploy -c wrangler.toml",
    ]);
  });

  it("later deploys: nothing created, the migrations run before either Worker's new code", () => {
    const { status, calls } = deploy([], {});
    expect(status).toBe(0);
    expect(calls).toEqual([
      "queues info carrier-events",
      "queues info carrier-events-dlq",
      "d1 info parcelhook -c wrangler.toml",
      "d1 migrations apply DB --remote -c wrangler.toml",
      "deploy -c wrangler.consumer.toml",
      "deploy -c wrangler.toml",
    ]);
  });

  it("--env staging: the staging copy's own queues and database", () => {
    const { status, calls } = deploy(["--env", "staging"], { MISSING_QUEUES: "carrier-events-staging-dlq" });
    expect(status).toBe(0);
    expect(calls).toEqual([
      "queues info carrier-events-staging --env staging",
      "queues info carrier-events-staging-dlq --env staging",
      "queues create carrier-events-staging-dlq --env staging",
      "d1 info parcelhook-staging -c wrangler.toml --env staging",
      "d1 migrations apply DB --remote -c wrangler.toml --env staging",
      "deploy -c wrangler.consumer.toml --env staging",
      "deploy -c wrangler.toml --env staging",
    ]);
  });

  it("a queue another deploy created meanwhile is fine; any other failure to create one stops before deploying", () => {
    const raced = deploy([], {
      MISSING_QUEUES: "carrier-events-dlq",
      CREATE_ERROR: "A queue with this name already exists",
    });
    expect(raced.status).toBe(0);
    const refused = deploy([], {
      MISSING_QUEUES: "carrier-events-dlq",
      CREATE_ERROR: "Authentication error [code: 10000]",
    });
    expect(refused.status).toBe(1);
    expect(refused.out).toContain("Authentication error");
    expect(refused.calls.some((c) => c.startsWith("deploy"))).toBe(false);
  });

  it("stops before deploying anything when `d1 info` fails for another reason than a missing database", () => {
    for (const error of [
      "✘ [ERROR] A request to the Cloudflare API failed. Authentication error [code: 10000]",
      "✘ [ERROR] fetch failed (ENOTFOUND api.cloudflare.com)",
      "✘ [ERROR] A request to the Cloudflare API failed. Too many requests [code: 971]",
    ]) {
      const refused = deploy([], { DB_INFO_ERROR: error });
      expect(refused.status, error).toBe(1);
      expect(refused.out).toContain(error);
      expect(
        refused.calls.filter((c) => c.startsWith("deploy") || c.startsWith("d1 migrations")),
        error,
      ).toEqual([]);
    }
  });

  it("refuses configs whose Workers would disagree: different [vars], or queue names the consumer does not consume", () => {
    const drifted = mkdtempSync(join(tmpdir(), "parcelhook-deploy-configs-"));
    try {
      const app = readFileSync("wrangler.toml", "utf8");
      const consumer = readFileSync("wrangler.consumer.toml", "utf8");
      writeFileSync(join(drifted, "wrangler.toml"), app);
      writeFileSync(
        join(drifted, "wrangler.consumer.toml"),
        consumer.replace('FORWARD_TIMEOUT_MS = "15000"', 'FORWARD_TIMEOUT_MS = "5000"'),
      );
      const vars = deploy(["--dry-run"], {}, drifted);
      expect(vars.status).toBe(1);
      expect(vars.out).toContain("different [vars]: FORWARD_TIMEOUT_MS");
      expect(vars.calls).toEqual([]);

      writeFileSync(
        join(drifted, "wrangler.consumer.toml"),
        consumer.replace('\nqueue = "carrier-events-staging-dlq"', '\nqueue = "other-dlq"'),
      );
      const names = deploy(["--dry-run", "--env", "staging"], {}, drifted);
      expect(names.status).toBe(1);
      expect(names.out).toContain("does not consume DEAD_LETTER_QUEUE_NAME carrier-events-staging-dlq");
      expect(names.calls).toEqual([]);
    } finally {
      rmSync(drifted, { recursive: true, force: true });
    }
  });

  it("--dry-run builds both Workers of the environment and touches no account", () => {
    const { status, calls } = deploy(["--dry-run", "--env", "staging"], {});
    expect(status).toBe(0);
    expect(calls).toEqual([
      "deploy -c wrangler.consumer.toml --env staging --dry-run --minify --outdir dist/parcelhook-consumer-staging",
      "deploy -c wrangler.toml --env staging --dry-run --minify --outdir dist/parcelhook-staging",
    ]);
  });
});
