// The D1 binding as every simulated invocation sees it: the real local D1, each round trip
// (`batch`, and a statement's `run`/`all`/`first`/`raw`) parked at the scheduler's gate, where the
// seeded RNG may make it throw before it commits, throw after it committed, or kill the
// invocation. Fault injection only: the statements and their results are D1's own.
import type { Scheduler } from "./scheduler";

const realOf = new WeakMap<object, D1PreparedStatement>();

/** A short name for a round trip in the history: its first statement's verb and table. */
function summary(sql: string): string {
  const s = sql.replace(/\s+/g, " ").trim();
  const m = /^(WITH\b.*?\)\s*)?(INSERT INTO|UPDATE|DELETE FROM|SELECT .*? FROM|REPLACE INTO)\s+(\w+)/i.exec(s);
  if (!m) return s.slice(0, 40);
  const verb = (m[2] ?? "").split(" ")[0]?.toUpperCase();
  return `${verb} ${m[3]}`;
}

export function gatedD1(db: D1Database, sched: Scheduler): D1Database {
  const wrap = (s: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const w = {
      bind: (...values: unknown[]) => wrap(s.bind(...values), sql),
      first: (column?: string) =>
        sched.roundTrip(summary(sql), () => (column === undefined ? s.first() : s.first(column))),
      all: () => sched.roundTrip(summary(sql), () => s.all()),
      run: () => sched.roundTrip(summary(sql), () => s.run()),
      raw: (options?: { columnNames?: boolean }) =>
        sched.roundTrip(summary(sql), () => s.raw(options as { columnNames: true })),
    };
    realOf.set(w, s);
    sqlOf.set(w, sql);
    return w as unknown as D1PreparedStatement;
  };
  const sqlOf = new WeakMap<object, string>();
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) =>
          sched.roundTrip(
            `batch of ${statements.length}: ${[...new Set(statements.map((s) => summary(sqlOf.get(s) ?? "")))].join(", ")}`,
            () => target.batch(statements.map((s) => realOf.get(s) ?? s)),
          );
      }
      if (prop === "exec") return (sql: string) => sched.roundTrip(summary(sql), () => target.exec(sql));
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
