import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { readConfig } from "../src/config";
import { loadBodyDictionaries } from "../src/db/load-body-dictionaries";
import { recordAppForwarding } from "../src/delivery/db/destination-health";

// Runs before each test file; applyD1Migrations skips what is already applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// As the Hono app does before any route: tests that call storage functions directly need them too.
await loadBodyDictionaries(env.ASSETS);
// As the Hono app's cron records on default's row (src/delivery/catch-up-held.ts): whether this
// app has FORWARD_URL; a consumer without it then knows forwarding is off on both Workers.
await recordAppForwarding(env.DB, readConfig(env).forwardUrl !== null).run();
