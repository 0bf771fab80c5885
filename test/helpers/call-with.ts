import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { app } from "../../src/app";

/**
 * A request through the Worker's app with some vars or bindings replaced (configuration, or a
 * fault a test names), waiting for its background work like the runtime would.
 */
export async function callWith(path: string, overrides: Partial<Env>, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`https://parcelhook.test${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
