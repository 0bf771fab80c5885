import type { RouterRoute } from "hono/types";

/**
 * The methods some route answers at `path` (middleware and catch-all handlers, registered for
 * ALL, are left out). Lets a miss tell "no such route" (404) from "not with this method" (405).
 */
export function routeMethods(routes: RouterRoute[], path: string): Set<string> {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method !== "ALL" && matches(route.path, path)) methods.add(route.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return methods;
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    if (part === "*") return true;
    if (i >= got.length) return false;
    if (!part.startsWith(":") && part !== got[i]) return false;
  }
  return want.length === got.length;
}
