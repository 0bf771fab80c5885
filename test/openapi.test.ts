import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import committed from "../public/api/openapi.json";
import { API_ROUTES } from "../src/api/api-description";
import { openApiDocument } from "../src/api/openapi-document";
import { type OpenApiDocument, ReferencePage } from "../src/api/reference-page";
import { routes } from "../src/api/routes";
import { call } from "./helpers/post-webhook";

describe("the OpenAPI document", () => {
  it("is what the schemas generate today (run `npm run openapi` after changing a schema or route)", () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("has a committed reference page rendered from it, as the static assets serve it (`npm run openapi`)", async () => {
    const served = await env.ASSETS.fetch("https://parcelhook.test/api/docs");
    expect(served.status).toBe(200);
    const rendered = await ReferencePage({ doc: committed as OpenApiDocument, documentUrl: "/api/openapi.json" });
    expect(await served.text()).toBe(rendered.toString());
  });

  it("describes every route the API answers, and no other", () => {
    // A route with middleware (a validator) is listed once per handler.
    const answered = [
      ...new Set(
        routes.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
      ),
    ].sort();
    const described = API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    expect(described).toEqual(answered);
  });
});

describe("/api/docs", () => {
  it("renders the reference on the server: no script, nothing from another origin, a strict CSP", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/]+=*'; /);
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|https?:\/\//i);
    // The one inline style is the one the CSP's hash allows, so the page is styled, not blocked.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
    expect(csp).toContain(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
    // Every route, with its parameters and answers.
    for (const route of API_ROUTES) expect(html).toContain(`<code>/api${route.path}</code>`);
    expect(html).toContain("quiet_for_hours");
    expect(html).toContain('href="/api/openapi.json"');
  });
});
