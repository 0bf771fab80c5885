import { Hono } from "hono/tiny";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { validate } from "../src/api/validate";
import type { AppEnv } from "../src/app-env";
import { errorResponse } from "../src/errors/error-response";

// `validate` on its own, as any route gets it (with or without requireJson before it): every
// failure is the project's 400 answer from src/errors, never @hono/standard-validator's own
// `{ success, error }` body nor Hono's text 400, and a body not sent as JSON is never read as `{}`.
const app = new Hono<AppEnv>();
app.onError(errorResponse);
// Every field optional, so `{}` would pass: what a filter silently dropped would look like.
const filter = v.strictObject({
  carrier: v.optional(v.picklist(["peddler", "postmen"])),
  limit: v.optional(v.string()),
});
app.post("/json", validate("json", filter), (c) => c.json(c.req.valid("json")));
app.get("/query", validate("query", filter), (c) => c.json(c.req.valid("query")));

async function answer(path: string, init?: RequestInit): Promise<[number, unknown]> {
  const res = await app.request(path, init);
  return [res.status, await res.json()];
}
const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  answer("/json", { method: "POST", headers, body });
const refused = (issues?: { path: string; message: unknown }[]) => ({
  error: { code: "invalid_request", message: "The request's parameters are not valid.", ...(issues && { issues }) },
});

describe("validate (the operator API's input through @hono/standard-validator)", () => {
  it("hands the route the schema's output", async () => {
    expect(await post(JSON.stringify({ carrier: "peddler" }))).toEqual([200, { carrier: "peddler" }]);
    expect(await answer("/query?carrier=postmen&limit=5")).toEqual([200, { carrier: "postmen", limit: "5" }]);
  });

  it("answers a value the schema refuses with every issue and its path", async () => {
    expect(await post(JSON.stringify({ carrier: "ups", extra: 1 }))).toEqual([
      400,
      refused([
        { path: "carrier", message: expect.stringMatching(/but received "ups"$/) },
        { path: "extra", message: expect.any(String) },
      ]),
    ]);
    expect(await answer("/query?carrier=peddler&carrier=postmen")).toEqual([
      400,
      refused([{ path: "carrier", message: expect.stringMatching(/but received Array$/) }]),
    ]);
  });

  it("answers malformed JSON (Hono's 400 before the hook) with the same structured answer", async () => {
    expect(await post("{nope")).toEqual([400, refused()]);
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["no content type", {}],
    ["a form", { "content-type": "application/x-www-form-urlencoded" }],
  ])("refuses a body sent as %s instead of reading it as {}", async (_, headers) => {
    expect(await post(JSON.stringify({ carrier: "ups" }), headers)).toEqual([
      400,
      refused([{ path: "$", message: "Send the body as application/json." }]),
    ]);
  });
});
