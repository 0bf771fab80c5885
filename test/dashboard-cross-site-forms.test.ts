import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// Which posts reach the dashboard's routes (a wrong token's sign-in: 401) and which are refused as
// cross-site (403) before them. The rule was hono/csrf's with its defaults; pinned case by case.
const ORIGIN = "https://parcelhook.test";

async function signInStatus(headers: Record<string, string>, body = "token=wrong"): Promise<number> {
  const res = await exports.default.fetch(`${ORIGIN}/dashboard/sign-in`, { method: "POST", headers, body });
  await res.arrayBuffer();
  return res.status;
}

const FORM = "application/x-www-form-urlencoded";

describe("cross-site form posts to the dashboard", () => {
  it.each([
    ["a form with this Origin", { "content-type": FORM, origin: ORIGIN }, 401],
    ["a form with no Origin and no Sec-Fetch-Site", { "content-type": FORM }, 403],
    ["a form from another origin", { "content-type": FORM, origin: "https://evil.example" }, 403],
    ["a form from this origin's http://", { "content-type": FORM, origin: "http://parcelhook.test" }, 403],
    [
      "Sec-Fetch-Site: same-origin, whatever the Origin",
      { "content-type": FORM, origin: "https://evil.example", "sec-fetch-site": "same-origin" },
      401,
    ],
    [
      "Sec-Fetch-Site: same-site from another origin",
      { "content-type": FORM, origin: "https://evil.example", "sec-fetch-site": "same-site" },
      403,
    ],
    [
      "Sec-Fetch-Site: cross-site with this Origin",
      { "content-type": FORM, origin: ORIGIN, "sec-fetch-site": "cross-site" },
      401,
    ],
    ["no content type (text/plain) from another origin", { origin: "https://evil.example" }, 403],
    [
      "TEXT/PLAIN from another origin",
      { "content-type": "TEXT/PLAIN;charset=utf-8", origin: "https://evil.example" },
      403,
    ],
    ["text/ping from another origin", { "content-type": "text/ping", origin: "https://evil.example" }, 403],
    [
      "multipart from another origin",
      { "content-type": "multipart/form-data; boundary=x", origin: "https://evil.example" },
      403,
    ],
    [
      "JSON (needs a preflight) from another origin",
      { "content-type": "application/json", origin: "https://evil.example" },
      401,
    ],
  ])("%s: %i", async (_, headers, status) => {
    expect(await signInStatus(headers)).toBe(status);
  });
});
