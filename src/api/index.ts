import type { Context, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env";
import { requireAdmin } from "./require-admin";
import { routes } from "./routes";

/** The operator API, mounted at /api. */
export const api = new Hono<AppEnv>();

// The reference page runs no script; its one inline style is allowed by its hash, computed once per
// isolate from the page as built, so the page and its CSP cannot drift apart.
let docsHeaders: Promise<MiddlewareHandler> | undefined;
function referenceHeaders(page: string): Promise<MiddlewareHandler> {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
  docsHeaders ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(style)).then((digest) =>
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  return docsHeaders;
}

/**
 * Answers with the static asset at the request's own path: `npm run openapi` writes both files into
 * public/ at build time, so the Worker bundles neither the document nor the page's renderer. Only
 * the content type is passed on, so the answer's headers are the route's, as before.
 */
async function staticAsset(c: Context<AppEnv>): Promise<Response> {
  const asset = await c.env.ASSETS.fetch(new URL(c.req.path, c.req.url));
  if (!asset.ok) throw new Error(`static asset ${c.req.path}: HTTP ${asset.status} (run npm run openapi)`);
  return new Response(asset.body, { headers: { "Content-Type": asset.headers.get("Content-Type") ?? "" } });
}

// The description and its reference page are public: they hold the API's shape, never data, and a
// browser opening the reference page cannot send a bearer token. Everything else needs the token.
api.get("/openapi.json", staticAsset);
api.get("/docs", async (c) => {
  const page = await (await staticAsset(c)).text();
  await (await referenceHeaders(page))(c, async () => {
    c.res = c.html(page);
  });
  return c.res;
});

api.use("*", requireAdmin);
api.route("/", routes);
