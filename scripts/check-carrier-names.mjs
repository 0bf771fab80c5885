// `npm run lint` runs this: no code outside src/carriers/ names a sender, so adding one is its
// folder plus one line in src/carriers/registered.ts. The words are the registered carriers' names
// (and their folders'), matched case-insensitively anywhere in a file's code, comments left out
// (a comment may name a sender). Tests, which exercise one carrier each, are not scanned.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOTS = ["src", "scripts", "bench", "build"];
const SKIP = [join("src", "carriers")];
const CODE = /\.(ts|mts|mjs|js|tsx)$/;

const registered = readFileSync("src/carriers/registered.ts", "utf8");
const folders = [...registered.matchAll(/^export \{[^}]*\} from "\.\/([^"]+)";/gm)].map((m) => m[1]);
if (folders.length === 0) throw new Error("src/carriers/registered.ts lists no carrier");
const names = folders.flatMap((folder) => {
  const index = readFileSync(join("src/carriers", folder, "index.ts"), "utf8");
  const name = /^\s*name: "([^"]+)",/m.exec(index)?.[1];
  if (!name) throw new Error(`src/carriers/${folder}/index.ts declares no name`);
  return [name, folder];
});
const words = [...new Set(names.flatMap((n) => [n, n.replaceAll("-", "_"), n.replaceAll("-", "")]))].map((w) =>
  w.toLowerCase(),
);

/** The file's text with its comments blanked out (strings, template literals and regexes kept). */
function codeOnly(text) {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function* files(dir) {
  if (!existsSync(dir) || SKIP.includes(dir)) return;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* files(path);
    else if (CODE.test(entry)) yield path;
  }
}

const found = [];
for (const root of ROOTS) {
  for (const path of files(root)) {
    const lines = codeOnly(readFileSync(path, "utf8")).split("\n");
    lines.forEach((line, n) => {
      const lower = line.toLowerCase();
      for (const word of words) {
        if (lower.includes(word)) found.push(`${relative(".", path)}:${n + 1}: names "${word}": ${line.trim()}`);
      }
    });
  }
}
if (found.length > 0) {
  console.error("Code outside src/carriers/ names a sender (docs/carriers/adding-a-carrier.md):");
  for (const f of found) console.error(`  ${f}`);
  process.exit(1);
}
console.log(`check-carrier-names: no code outside src/carriers/ names ${words.join(", ")}`);
