import { Hono, type MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import document from "./openapi.json";
import { type OpenApiDocument, REFERENCE_CSS, ReferencePage } from "./reference-page";
import { requireAdmin } from "./require-admin";
import { routes } from "./routes";

/** The operator API, mounted at /api. */
export const api = new Hono<AppEnv>();

// The reference page runs no script; its one inline style is allowed by its hash, computed once.
let docsHeaders: Promise<MiddlewareHandler> | undefined;
function referenceHeaders(): Promise<MiddlewareHandler> {
  docsHeaders ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(REFERENCE_CSS)).then((digest) =>
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

// The description and its reference page are public: they hold the API's shape, never data, and a
// browser opening the reference page cannot send a bearer token. Everything else needs the token.
api.get("/openapi.json", (c) => c.json(document));
api.get(
  "/docs",
  async (c, next) => (await referenceHeaders())(c, next),
  (c) => c.html(ReferencePage({ doc: document as OpenApiDocument, documentUrl: "/api/openapi.json" })),
);

api.use("*", requireAdmin);
api.route("/", routes);
