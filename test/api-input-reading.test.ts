import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// How the operator API reads a query and a JSON body before its schema sees them (it was
// hono/validator's reading), pinned whole: status and body.
const admin = { authorization: "Bearer test-admin-token-0123456789abcdef0123" };

async function answer(path: string, init: RequestInit = {}): Promise<[number, unknown]> {
  const res = await exports.default.fetch(`https://parcelhook.test${path}`, {
    ...init,
    headers: { ...admin, ...(init.headers as Record<string, string>) },
  });
  return [res.status, await res.json()];
}

const replay = (type: string, body: string) =>
  answer("/api/replay", { method: "POST", headers: { "content-type": type }, body });

describe("the operator API's input reading", () => {
  it("a key repeated in the query is a list, which a one-value filter refuses", async () => {
    const [status, body] = await answer("/api/events?carrier=peddler&carrier=inpost");
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "invalid_request", issues: [{ path: "carrier" }] } });
    expect(JSON.stringify(body)).toMatch(/but received Array"/);
  });

  it("a single key in the query is its value", async () => {
    const [status, body] = await answer("/api/events?carrier=peddler&limit=1");
    expect(status).toBe(200);
    expect(Object.keys(body as object)).toEqual(["events", "next_cursor"]);
  });

  it("a malformed JSON body is 400 invalid_request", async () => {
    expect(await replay("application/json", "{nope")).toEqual([
      400,
      { error: { code: "invalid_request", message: "The request's parameters are not valid." } },
    ]);
  });

  it("a JSON body with parameters in its type is read; one whose media type is not exactly JSON is {}", async () => {
    const issues = async (type: string) => {
      const [status, body] = await replay(type, JSON.stringify({ carrier: "ups" }));
      expect(status).toBe(400);
      return (body as { error: { issues: { path: string; message: string }[] } }).error.issues;
    };
    expect(await issues("application/json; charset=utf-8")).toEqual([
      { path: "carrier", message: expect.stringMatching(/but received "ups"$/) },
    ]);
    // requireJson lets `application/json-seq` through; the body is then read as {}: no filter.
    expect(await issues("application/json-seq")).toEqual([
      { path: "$", message: "Name at least one filter (to replay everything, pass `since`)." },
    ]);
    expect(await issues("application/jsonx")).toEqual([{ path: "$", message: "Send the body as application/json." }]);
  });
});
