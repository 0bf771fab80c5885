// The queue consumer Worker (wrangler.consumer.toml): the events queue and its dead-letter queue.
import { readConfig } from "./config";
import { handleDeadLetters, handleEventBatch } from "./consumer";
import { useBodyDictionaries } from "./db/body-codec";
import { BUNDLED_BODY_DICTIONARIES } from "./db/bundled-body-dictionaries";

// This Worker has no static assets: it bundles the stored bodies' dictionaries.
useBodyDictionaries(BUNDLED_BODY_DICTIONARIES);

/** Dispatches on the queue names of the configuration, so a copy with other queue names works. */
export const queue: ExportedHandlerQueueHandler<Env, unknown> = async (batch, env) => {
  const { eventsQueueName, deadLetterQueueName } = readConfig(env);
  if (batch.queue === eventsQueueName) return handleEventBatch(batch, env);
  if (batch.queue === deadLetterQueueName) return handleDeadLetters(batch, env);
  // A queue wired to this Worker by mistake, or queue names out of step with the config: fail
  // loudly (the messages are retried, then dead-lettered) rather than treat them as events.
  throw new Error(`no consumer for queue ${batch.queue}`);
};

export default { queue } satisfies ExportedHandler<Env, unknown>;
