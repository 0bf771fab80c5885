// Destinations' configuration: what they are, which events they take, their secrets. Their health
// and deliveries belong to the delivery state machine (src/delivery/).
export { type WebhookHeaders, type WebhookSigner, webhookSigner } from "../consumer/sign-webhook";
export type { Destination } from "./destination";
export { type Filter, filterSchema } from "./filter";
export {
  DESTINATIONS_CACHE_MS,
  type DestinationProblem,
  destinationsCached,
  forgetDestinations,
  type LoadedDestinations,
  loadDestinations,
  readDestinations,
} from "./load-destinations";
export { matchesFilter } from "./matches-filter";
export { newDestinationId } from "./new-destination-id";
export { newSecret } from "./new-secret";
export { openSecret, openSecretWith, sealSecret } from "./secret-box";
