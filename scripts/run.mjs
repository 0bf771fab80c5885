// Runs a Node-side TypeScript entry (scripts/*.ts, bench/node/*.ts): bundles it with esbuild (already
// installed with wrangler) so its extensionless imports, and those of src/ modules it reuses,
// resolve exactly as the typechecker sees them; packages stay external and load from node_modules.
import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run.mjs <entry.ts> [args...]");
  process.exit(2);
}
const outdir = resolve("node_modules/.cache/parcelhook-scripts");
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `${basename(entry).replace(/\.m?ts$/, "")}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  sourcemap: "inline",
  logLevel: "warning",
});
process.argv = [process.argv[0] ?? "node", resolve(entry), ...args];
await import(pathToFileURL(outfile).href);
