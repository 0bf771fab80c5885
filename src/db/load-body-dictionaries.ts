import { type BodyDictionaries, hasBodyDictionaries, useBodyDictionaries } from "./body-codec";
import { BODY_DICTIONARY_FILES } from "./body-dictionary-files";

let loading: Promise<void> | undefined;

/**
 * Loads every frozen body dictionary file from the Hono app's static assets, in parallel, once per
 * isolate; a failed load is tried again by the next caller. Done before any route or cron job runs
 * (src/app.ts, src/scheduled.ts), so encoding and decoding stay synchronous.
 */
export async function loadBodyDictionaries(assets: Fetcher | undefined): Promise<void> {
  if (hasBodyDictionaries()) return;
  if (!assets) throw new Error("the body dictionaries need the ASSETS binding");
  const load = async (file: string) => {
    const res = await assets.fetch(`https://assets.invalid/${file}`);
    if (!res.ok) throw new Error(`loading the body dictionaries (${file}): HTTP ${res.status}`);
    return res.json<BodyDictionaries>();
  };
  loading ??= Promise.all(BODY_DICTIONARY_FILES.map(load))
    .then(useBodyDictionaries)
    .finally(() => {
      loading = undefined;
    });
  await loading;
}
