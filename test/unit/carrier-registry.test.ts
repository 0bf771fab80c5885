import { describe, expect, it } from "vitest";
import { CARRIERS, findCarrier, REGISTRY } from "../../src/carriers";
import type { CarrierAbout } from "../../src/carriers/kit";
import { SECRET_LISTS, VAR_SCHEMAS } from "../../src/config/config-schema";
import { decodeRawBody, encodeRawBody } from "../../src/db/body-codec";
import { EVENT_TYPES } from "../../src/events/normalized-event";

// What every sender folder must keep unique or well-formed, so a new one cannot collide with an
// older one (a reused format byte would make stored rows unreadable).
describe("the carrier registry", () => {
  it("names each carrier once, as a route segment", () => {
    expect(new Set(CARRIERS).size).toBe(CARRIERS.length);
    for (const name of CARRIERS) expect(name).toMatch(/^[a-z0-9][a-z0-9-]{1,30}$/);
    expect(findCarrier("__proto__")).toBeUndefined();
    expect(findCarrier("constructor")).toBeUndefined();
  });

  it("gives each carrier its own storage format byte (1-255) and colour", () => {
    const formats = REGISTRY.map((c) => c.bodyFormat);
    expect(new Set(formats).size).toBe(formats.length);
    for (const f of formats) expect(Number.isInteger(f) && f >= 1 && f <= 255).toBe(true);
    const colors = REGISTRY.map((c) => c.color.toLowerCase());
    expect(new Set(colors).size).toBe(colors.length);
  });

  it("keeps setting names unique across carriers and apart from the shared settings", () => {
    const names = REGISTRY.flatMap((c) => Object.keys(c.settings));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(Object.keys(VAR_SCHEMAS)).not.toContain(n);
      expect(SECRET_LISTS as readonly string[]).not.toContain(n);
    }
  });

  it("documents every setting, and only those, in its folder's about.ts (read by the scripts, never bundled)", async () => {
    for (const c of REGISTRY) {
      const { about } = (await import(`../../src/carriers/${c.name}/about.ts`)) as { about: CarrierAbout };
      expect(about.title.length, c.name).toBeGreaterThan(2);
      expect(Object.keys(about.settings).sort(), c.name).toEqual(Object.keys(c.settings).sort());
      for (const s of Object.values(about.settings)) expect(s.doc.length).toBeGreaterThan(10);
    }
  });

  it("declares only event types of the contract", () => {
    for (const c of REGISTRY) {
      expect(c.eventTypes.length).toBeGreaterThan(0);
      for (const t of c.eventTypes) expect(EVENT_TYPES).toContain(t);
    }
  });

  it("stores each carrier's bodies with its own format byte, from the dictionary files the app loads", () => {
    for (const c of REGISTRY) {
      const stored = encodeRawBody(c.name, '{"a":1}');
      expect(stored[0], `${c.name}: run npm run body-dictionaries`).toBe(c.bodyFormat);
      expect(decodeRawBody(stored)).toBe('{"a":1}');
    }
  });
});
