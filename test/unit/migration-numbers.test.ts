import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// D1 applies migrations by file name, so two files may share a number without anything failing,
// which is how 0003 came to be doubled (renaming an applied file would run it again). From now on
// every migration takes a number of its own; the one applied pair stays as it is.
const APPLIED_PAIR = ["0003_operator_api_indexes.sql", "0003_shipments_list.sql"];

function reusedNumbers(names: readonly string[]): Record<string, string[]> {
  const byNumber = new Map<string, string[]>();
  for (const name of names) {
    const number = /^(\d{4})_/.exec(name)?.[1] ?? name;
    byNumber.set(number, [...(byNumber.get(number) ?? []), name]);
  }
  const reused = [...byNumber].filter(([, files]) => files.length > 1);
  return Object.fromEntries(reused.map(([n, files]) => [n, files.sort()]));
}

describe("migration numbers", () => {
  const names = env.TEST_MIGRATIONS.map((m) => m.name);

  it("every migration file is named NNNN_what.sql", () => {
    expect(names.filter((n) => !/^\d{4}_[a-z0-9_]+\.sql$/.test(n))).toEqual([]);
  });

  it("no number is used twice, except the 0003 pair applied before this rule", () => {
    expect(reusedNumbers(names)).toEqual({ "0003": APPLIED_PAIR });
  });

  it("the check catches a new file that reuses a number", () => {
    const withReuse = [...names, "0006_something_else.sql"];
    expect(Object.keys(reusedNumbers(withReuse))).toEqual(["0003", "0006"]);
  });
});
