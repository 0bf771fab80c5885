// Reads the local D1 of a running `wrangler dev` straight from its SQLite file (read-only), so the
// checks see exactly what the Worker stored, without going through the Worker being checked.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface LocalD1 {
  all<T = Record<string, unknown>>(sql: string, ...params: (string | number | null)[]): T[];
  one<T = Record<string, unknown>>(sql: string, ...params: (string | number | null)[]): T | undefined;
  close(): void;
}

export function openLocalD1(persistTo: string): LocalD1 {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no D1 database under ${dir}`);
  const db = new DatabaseSync(join(dir, file), { readOnly: true });
  return {
    all: <T>(sql: string, ...params: (string | number | null)[]) => db.prepare(sql).all(...params) as T[],
    one: <T>(sql: string, ...params: (string | number | null)[]) => db.prepare(sql).get(...params) as T | undefined,
    close: () => db.close(),
  };
}
