import { exports } from "cloudflare:workers";

export interface PostOptions {
  headers?: Record<string, string>;
  query?: string;
  method?: string;
}

/** Sends a request through the Worker's real fetch handler (workerd, local D1 and queue). */
export function call(path: string, body?: unknown, opts: PostOptions = {}): Promise<Response> {
  const raw = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return exports.default.fetch(`https://parcelhook.test${path}${opts.query ?? ""}`, {
    method: opts.method ?? (raw === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...opts.headers },
    body: raw,
  });
}
