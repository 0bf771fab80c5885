import { isIntegrationEvent, isParcelEvent, isReturnEvent, type SendcloudPayload } from "./sendcloud-payload-schema";

/**
 * Sendcloud sends no event id, and a retry resends the same body. A parcel's event is the parcel,
 * its status id and the carrier's time of the change (`carrier_status_change_timestamp`, else
 * `timestamp`): the same status again at another time is another event. Other actions are named
 * by the action, their object's id and `timestamp`. Parcel keys start with a digit and the others
 * with the action, so the two never collide.
 */
export function sendcloudEventKey(p: SendcloudPayload): string {
  if (isParcelEvent(p)) {
    return `${p.parcel.id}:${p.parcel.status.id}:${p.carrier_status_change_timestamp ?? p.timestamp}`;
  }
  if (isReturnEvent(p)) return `${p.action}:${p.data.id}:${p.timestamp}`;
  if (isIntegrationEvent(p)) return `${p.action}:${p.integration.id}:${p.timestamp}`;
  return `${p.action}:${p.timestamp}`;
}
