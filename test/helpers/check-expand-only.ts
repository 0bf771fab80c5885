// The expand/contract rule for migrations (docs/deploy.md, "Upgrades"), as far as it can be read
// from the SQL: a migration no release has shipped yet is applied while the previous release's
// Workers still run, so it may add (tables, columns with a default, indexes, triggers, rows of
// its own new tables) but never take away or rewrite what those Workers read and write. The
// taking away is a contract step, `NNNN_contract_<what>.sql`, whose first line names the expand
// migration of a release that already stopped using it: `-- Contracts NNNN_<name>.sql`.

export interface Migration {
  name: string;
  queries: string[];
}

export interface Released {
  /** The newest migration a landed release applied (migrations/released.json). */
  through: string;
}

const CONTRACT_NAME = /^\d{4}_contract_[\w-]+\.sql$/;

/** One problem per refused statement, as `file: what`; empty when every file follows the rule. */
export function checkExpandOnly(
  migrations: Migration[],
  released: Released,
  headers: Record<string, string>,
): string[] {
  const problems: string[] = [];
  const tables = new Set<string>();
  const uniqueIndexes = new Set<string>();
  for (const { name, queries } of migrations) {
    const fresh = name > released.through;
    const contract = CONTRACT_NAME.test(name);
    if (fresh && contract) {
      const completes = /^--\s*Contracts\s+(\d{4}_[\w-]+\.sql)/.exec(headers[name] ?? "")?.[1];
      if (!completes) problems.push(`${name}: a contract step's first line must be "-- Contracts NNNN_<expand>.sql"`);
      else if (completes > released.through)
        problems.push(`${name}: contracts ${completes}, which no landed release has applied yet`);
      else if (!migrations.some((m) => m.name === completes))
        problems.push(`${name}: contracts ${completes}, which is not a migration`);
    }
    const ownTables = new Set<string>();
    const kept = keptInStep(queries.map(normalize));
    for (const raw of queries) {
      const sql = normalize(raw);
      const refuse =
        fresh && !contract ? (why: string) => problems.push(`${name}: ${why}: ${sql.slice(0, 120)}`) : () => {};
      const created = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)/.exec(sql)?.[1];
      if (created) {
        tables.add(created);
        ownTables.add(created);
      }
      const index = /^CREATE UNIQUE INDEX (?:IF NOT EXISTS )?(\w+)/.exec(sql)?.[1];
      if (index) uniqueIndexes.add(index);
      if (/^DROP TABLE\b/.test(sql)) refuse("drops a table");
      if (/^DROP VIEW\b/.test(sql)) refuse("drops a view");
      if (/^DROP TRIGGER\b/.test(sql)) refuse("drops a trigger");
      const droppedIndex = /^DROP INDEX (?:IF EXISTS )?(\w+)/.exec(sql)?.[1];
      if (droppedIndex && uniqueIndexes.has(droppedIndex)) refuse("drops a UNIQUE index (an ON CONFLICT target)");
      const alter = /^ALTER TABLE (\w+) (.*)$/.exec(sql);
      if (alter) {
        const [, table, action = ""] = alter;
        if (/^DROP\b/.test(action)) refuse("drops a column");
        if (/^RENAME\b/.test(action)) {
          refuse("renames");
          const to = /^RENAME TO (\w+)/.exec(action)?.[1];
          if (to && table) {
            tables.delete(table);
            tables.add(to);
          }
        }
        if (/^ADD\b/.test(action) && /\bNOT NULL\b/.test(action) && !/\bDEFAULT\b/.test(action))
          refuse("adds a NOT NULL column without a default (the previous release's INSERTs would fail)");
      }
      // A backfill copies rows the previous release's Workers are still changing: it is stale as
      // soon as it commits (0007's copy of events into deliveries sent events twice). It belongs in
      // the contract step, once those Workers are gone.
      const target = /^(UPDATE|DELETE FROM|INSERT (?:OR \w+ )?INTO|REPLACE INTO) (\w+)/.exec(sql);
      if (target) {
        const [, verb = "", table = ""] = target;
        const read = [...sql.matchAll(/\b(?:FROM|JOIN) (\w+)/g)]
          .map((m) => m[1] as string)
          .filter((t) => t !== table || !verb.startsWith("DELETE"));
        const olderTable = (t: string) => tables.has(t) && !ownTables.has(t);
        if (verb === "UPDATE" && olderTable(table))
          refuse(`rewrites rows of ${table}, which the previous release uses`);
        if (verb === "DELETE FROM" && olderTable(table))
          refuse(`deletes rows of ${table}, which the previous release uses`);
        const source = read.find((t) => olderTable(t) && !(ownTables.has(table) && kept.get(t)?.has(table)));
        if (!verb.startsWith("UPDATE") && !verb.startsWith("DELETE") && source)
          refuse(`backfills ${table} from ${source}, which the previous release is still changing`);
      }
    }
  }
  return problems;
}

/**
 * The tables a file's triggers keep in step with another table on every insert, update and
 * delete (source → targets). A backfill into such a target is no stale copy: the previous
 * release's writes after it reach the target too (its triggers are made in the same migration,
 * which wrangler sends to D1 as one query).
 */
function keptInStep(statements: string[]): Map<string, Set<string>> {
  const events = new Map<string, Map<string, Set<string>>>();
  for (const sql of statements) {
    const trigger =
      /^CREATE TRIGGER (?:IF NOT EXISTS )?\w+ (?:AFTER|BEFORE) (INSERT|UPDATE|DELETE)\b.*? ON (\w+) .*?\bBEGIN (.*) END$/.exec(
        sql,
      );
    if (!trigger) continue;
    const [, event = "", source = "", body = ""] = trigger;
    for (const m of body.matchAll(/\b(?:INSERT (?:OR \w+ )?INTO|UPDATE|DELETE FROM) (\w+)/g)) {
      const target = m[1] as string;
      const bySource = events.get(source) ?? new Map<string, Set<string>>();
      events.set(source, bySource);
      bySource.set(target, (bySource.get(target) ?? new Set()).add(event));
    }
  }
  const kept = new Map<string, Set<string>>();
  for (const [source, targets] of events)
    kept.set(source, new Set([...targets].filter(([, on]) => on.size === 3).map(([target]) => target)));
  return kept;
}

/** Upper case outside quotes, comments gone, whitespace collapsed: enough for the patterns above. */
function normalize(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, " ")
    .replace(/'(?:[^']|'')*'|"[^"]*"|[^'"]+/g, (part) =>
      part.startsWith("'") || part.startsWith('"') ? part : part.toUpperCase(),
    )
    .replace(/\s+/g, " ")
    .trim();
}
