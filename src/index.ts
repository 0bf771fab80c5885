import { app } from "./app";
import { queue, scheduled } from "./background-handlers";
import type { NormalizedEvent } from "./events/normalized-event";

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, NormalizedEvent>;
