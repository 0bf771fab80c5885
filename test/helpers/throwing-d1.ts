/**
 * A D1 binding whose every call throws `error` (a fault a test injects: by default D1's own
 * `D1_ERROR` as a lost database gives it).
 */
export function throwingD1(error: () => Error = () => new Error("D1_ERROR: injected fault")): D1Database {
  const fail = () => {
    throw error();
  };
  const stmt = { bind: () => stmt, first: fail, run: fail, all: fail, raw: fail };
  return { prepare: () => stmt, batch: fail, exec: fail, dump: fail, withSession: fail } as unknown as D1Database;
}
