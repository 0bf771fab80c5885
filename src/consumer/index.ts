export { handleDeadLetters } from "./handle-dead-letters";
export { handleEventBatch } from "./handle-event-batch";
