// Reads the local D1 of a running `wrangler dev` straight from its SQLite file (read-only), so the
// checks see exactly what the Worker stored, without going through the Worker being checked.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface LocalD1 {
  all<T = Record<string, unknown>>(sql: string, ...params: (string | number | null)[]): T[];
  one<T = Record<string, unknown>>(sql: string, ...params: (string | number | null)[]): T | undefined;
  close(): void;
}

/** The database file holding the `events` table (the largest, should there be several). */
function findDatabase(persistTo: string): string {
  const dir = join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  for (const file of files) {
    const db = new DatabaseSync(file, { readOnly: true });
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    db.close();
    if (has) return file;
  }
  throw new Error(`no D1 database with an events table under ${dir}`);
}

export function openLocalD1(persistTo: string): LocalD1 {
  let db: DatabaseSync | null = null;
  // Opened on first use: the Worker's own database file may appear only once it first writes.
  const open = () => {
    db ??= new DatabaseSync(findDatabase(persistTo), { readOnly: true });
    return db;
  };
  return {
    all: <T>(sql: string, ...params: (string | number | null)[]) =>
      open()
        .prepare(sql)
        .all(...params) as T[],
    one: <T>(sql: string, ...params: (string | number | null)[]) =>
      open()
        .prepare(sql)
        .get(...params) as T | undefined,
    close: () => db?.close(),
  };
}
