import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** One fixture file, test/fixtures/carriers/<carrier>/<event>.json (the format: ../../FIXTURES.md, docs/carriers/adding-a-carrier.md). */
export interface CarrierFixture {
  event: string;
  source: string;
  settings: Record<string, string>;
  /** A push sender's fixture: the request as the carrier makes it. */
  request: { query?: Record<string, string>; headers?: Record<string, string>; body: string };
  /** A pull source's fixture instead: one record exactly as the source returns it (no request). */
  record?: string;
  auth: ({ header: string } | { query: string })[] & { refusal?: number }[];
  normalized: Record<string, unknown>;
}

export const FIXTURES_DIR = "test/fixtures/carriers";

/** A carrier's fixtures, by file name order, with their file names. */
export function carrierFixtures(carrier: string, root = "."): { file: string; fixture: CarrierFixture }[] {
  const dir = join(root, FIXTURES_DIR, carrier);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), "utf8")) as CarrierFixture }));
}

/** The raw body a fixture's event is stored with: a pushed request's body, or a pulled record. */
export function fixtureBody(fixture: CarrierFixture): string {
  return fixture.record ?? fixture.request.body;
}
