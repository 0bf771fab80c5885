/**
 * Wraps a D1 binding to count its round trips (each `batch`, `exec`, and each `run`/`all`/`first`/
 * `raw` of a single statement), for the tests and the benchmark that check a queue batch costs a
 * constant number of them. Statements reach the real D1 unchanged.
 */
export function countRoundTrips(db: D1Database): { db: D1Database; count: () => number } {
  let trips = 0;
  const originals = new WeakMap<object, D1PreparedStatement>();
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(target.bind(...args));
        if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") trips++;
        return value.bind(target);
      },
    });
    originals.set(wrapped, stmt);
    return wrapped;
  };
  const wrappedDb = new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql));
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          trips++;
          return target.batch(stmts.map((s) => originals.get(s) ?? s));
        };
      }
      if (prop === "exec") trips++;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: wrappedDb, count: () => trips };
}
