import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;
// The content types a cross-site <form> (or ping) can send without a CORS preflight.
const FORM_TYPE = /^\b(application\/x-www-form-urlencoded|multipart\/form-data|text\/(?:plain|ping))\b/i;

/**
 * Refuses (403) a state-changing form post unless the browser says it comes from this origin
 * (`Sec-Fetch-Site: same-origin`, or an `Origin` equal to the request's): hono/csrf with its
 * defaults, which is all the dashboard used of it.
 */
export const refuseCrossSiteForms: MiddlewareHandler = async (c, next) => {
  if (
    !SAFE_METHOD.test(c.req.method) &&
    FORM_TYPE.test(c.req.header("content-type") || "text/plain") &&
    c.req.header("sec-fetch-site") !== "same-origin" &&
    c.req.header("origin") !== new URL(c.req.url).origin
  ) {
    throw new HTTPException(403, { res: new Response("Forbidden", { status: 403 }) });
  }
  await next();
};
