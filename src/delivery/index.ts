export { type CatchUp, catchUpHeld } from "./catch-up-held";
export { DELIVERY_STATES, type DeliveryState, OWES_DELIVERY, OWES_DELIVERY_SQL, owesDelivery } from "./delivery-state";
export { replayEvent, replayEvents } from "./replay-events";
export { TRANSITIONS } from "./transitions";
