import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import document from "./openapi.json";
import { type OpenApiDocument, REFERENCE_CSS, ReferencePage } from "./reference-page";
import { requireAdmin } from "./require-admin";
import { routes } from "./routes";

/** The operator API, mounted at /api. */
export const api = new Hono<AppEnv>();

// The reference page's one inline style, allowed by its hash: the page runs no script at all.
let styleHash: Promise<string> | undefined;
function referenceStyleHash(): Promise<string> {
  styleHash ??= crypto.subtle
    .digest("SHA-256", new TextEncoder().encode(REFERENCE_CSS))
    .then((d) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(d)))}'`);
  return styleHash;
}

// The description and its reference page are public: they hold the API's shape, never data, and a
// browser opening the reference page cannot send a bearer token. Everything else needs the token.
api.get("/openapi.json", (c) => c.json(document));
api.get("/docs", async (c) => {
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src ${await referenceStyleHash()}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  return c.html(<ReferencePage doc={document as OpenApiDocument} documentUrl="/api/openapi.json" />);
});

api.use("*", requireAdmin);
api.route("/", routes);
