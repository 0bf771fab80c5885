import { ulid } from "../events/new-event-id";

/** `dst_` + a ULID: the public id of a destination created through the API. */
export function newDestinationId(now = Date.now()): string {
  return `dst_${ulid(now)}`;
}
