export { type CatchUp, catchUpHeld } from "./catch-up-held";
export { countDeliveries, type DeliveryCounts } from "./db/count-deliveries";
export { DELIVERY_STATES, type DeliveryState, OWES_DELIVERY, OWES_DELIVERY_SQL, owesDelivery } from "./delivery-state";
export { type ReplayOptions, replayEvent, replayEvents } from "./replay-events";
export { TRANSITIONS } from "./transitions";
