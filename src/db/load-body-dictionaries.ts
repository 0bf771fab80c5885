import { type BodyDictionaries, hasBodyDictionaries, useBodyDictionaries } from "./body-codec";

let loading: Promise<void> | undefined;

/**
 * Loads the body dictionaries from the Hono app's static assets, once per isolate; a failed load is
 * tried again by the next caller. Done before any route or cron job runs (src/app.ts,
 * src/scheduled.ts), so encoding and decoding stay synchronous.
 */
export async function loadBodyDictionaries(assets: Fetcher | undefined): Promise<void> {
  if (hasBodyDictionaries()) return;
  if (!assets) throw new Error("the body dictionaries need the ASSETS binding");
  loading ??= assets
    .fetch("https://assets.invalid/body-dictionaries-v1.json")
    .then(async (res) => {
      if (!res.ok) throw new Error(`loading the body dictionaries: HTTP ${res.status}`);
      useBodyDictionaries(await res.json<BodyDictionaries>());
    })
    .finally(() => {
      loading = undefined;
    });
  await loading;
}
