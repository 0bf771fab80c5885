// A release to upgrade from, checked out beside this checkout as a temporary git worktree. Its
// Workers are bundled from there, so it needs its own packages: this checkout's node_modules when
// both lockfiles are the same, else a clean `npm ci` in the worktree.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface Release {
  ref: string;
  commit: string;
  subject: string;
  dir: string;
  /** How its packages were had: `shared` (lockfile equal) or `npm ci`. */
  packages: "shared" | "npm ci";
  remove(): void;
}

function git(args: string[], cwd = process.cwd()): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout.trim();
}

export function checkoutRelease(ref: string): Release {
  const commit = git(["rev-parse", "--verify", `${ref}^{commit}`]);
  const subject = git(["log", "-1", "--format=%s", commit]);
  const dir = join(mkdtempSync(join(tmpdir(), "parcelhook-release-")), commit.slice(0, 7));
  git(["worktree", "add", "--detach", dir, commit]);
  const remove = () => {
    spawnSync("git", ["worktree", "remove", "--force", dir], { encoding: "utf8" });
    rmSync(resolve(dir, ".."), { recursive: true, force: true });
  };
  try {
    const same = readFileSync("package-lock.json", "utf8") === readFileSync(join(dir, "package-lock.json"), "utf8");
    if (same) symlinkSync(resolve("node_modules"), join(dir, "node_modules"), "dir");
    else {
      console.log(
        `upgrade-check: ${commit.slice(0, 7)}'s package-lock.json differs from this checkout's: npm ci there`,
      );
      const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8", stdio: "inherit" });
      if (ci.status !== 0 || !existsSync(join(dir, "node_modules"))) throw new Error(`npm ci in ${dir} failed`);
    }
    return { ref, commit, subject, dir, packages: same ? "shared" : "npm ci", remove };
  } catch (err) {
    remove();
    throw err;
  }
}
