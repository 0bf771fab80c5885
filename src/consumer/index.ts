export { handleDeadLetters } from "./handle-dead-letters";
export { handleEventBatch } from "./handle-event-batch";

/** Queue names as wrangler.toml declares them. */
export const EVENTS_QUEUE_NAME = "carrier-events";
export const DEAD_LETTER_QUEUE_NAME = "carrier-events-dlq";
