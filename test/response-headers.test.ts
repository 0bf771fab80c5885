import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

// The exact security headers of the dashboard and the API reference page, pinned so that the
// middleware setting them can be replaced (it was hono/secure-headers) without one changing.
const COMMON = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

function securityHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...Object.keys(COMMON), "content-security-policy", "cross-origin-embedder-policy"]) {
    const value = res.headers.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

describe("security headers", () => {
  it("the dashboard's pages (sign-in page and a refusal) carry its CSP and the common set", async () => {
    const csp =
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    const page = await exports.default.fetch("https://parcelhook.test/dashboard");
    expect(page.status).toBe(200);
    expect(securityHeaders(page)).toEqual({ ...COMMON, "content-security-policy": csp });
    const refused = await exports.default.fetch("https://parcelhook.test/dashboard/sign-out", {
      method: "POST",
      headers: { origin: "https://parcelhook.test", "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(refused.status).toBe(401);
    expect(securityHeaders(refused)).toEqual({ ...COMMON, "content-security-policy": csp });
  });

  it("the API reference page carries its hash CSP and the common set; other API routes none", async () => {
    const page = await exports.default.fetch("https://parcelhook.test/api/docs");
    expect(page.status).toBe(200);
    const headers = securityHeaders(page);
    expect(headers["content-security-policy"]).toMatch(
      /^default-src 'none'; style-src 'sha256-[\w+/]+=*'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    delete headers["content-security-policy"];
    expect(headers).toEqual(COMMON);
    const spec = await exports.default.fetch("https://parcelhook.test/api/openapi.json");
    expect(spec.status).toBe(200);
    expect(securityHeaders(spec)).toEqual({});
  });
});
