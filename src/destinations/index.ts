// Destinations' configuration: what they are, which events they take, their secrets. Their health
// and deliveries belong to the delivery state machine (src/delivery/).
export { type WebhookHeaders, type WebhookSigner, webhookSigner } from "../consumer/sign-webhook";
export type { Destination } from "./destination";
export type { Filter } from "./filter";
export { DESTINATIONS_CACHE_MS, forgetDestinations, loadDestinations } from "./load-destinations";
export { matchesFilter } from "./matches-filter";
