import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { loadBodyDictionaries } from "../src/db/load-body-dictionaries";

// Runs before each test file; applyD1Migrations skips what is already applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// As the Hono app does before any route: tests that call storage functions directly need them too.
await loadBodyDictionaries(env.ASSETS);
