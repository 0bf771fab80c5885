// The Hono app Worker (wrangler.toml): every HTTP route, and the cron jobs. It only produces to
// the events queue; the consumer is the other Worker (src/consumer-worker.ts).
import { app } from "./app";
import { scheduled } from "./scheduled";

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<Env>;
