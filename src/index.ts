import { app } from "./app";
import { queue, scheduled } from "./background-handlers";
import type { QueueMessage } from "./events/to-queue-message";

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, QueueMessage>;
