import { getEvent } from "../api/db/get-event";
import { findCarrier } from "../carriers";
import { parseStoredBody } from "../carriers/pull-kit";
import { ApiError } from "../errors/api-error";
import { acceptEvent } from "../webhooks/accept-event";
import { validatePayload } from "../webhooks/validate-payload";
import { getQuarantine, resolveQuarantine, updateQuarantineIssues } from "./db/list-quarantine";
import { presentEvent } from "./present";
import type { Retried } from "./response-schemas";

/**
 * Validates a quarantined delivery again with the carrier's current schema (after a fix). Valid:
 * it becomes an event exactly as if the carrier had just delivered it (same dedupe, same queue;
 * `received_at` stays the original receipt) and the quarantine row is resolved. Still invalid:
 * 422 with the issues, which replace the stored ones.
 */
export async function retryQuarantined(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  id: string,
): Promise<Retried> {
  const row = await getQuarantine(env.DB, id);
  if (!row) throw new ApiError("not_found", undefined, "No quarantined delivery with this id.");
  const carrier = findCarrier(row.carrier);
  if (!carrier) throw new ApiError("not_found", undefined, "The delivery's carrier is not known to this receiver.");

  let value: unknown;
  try {
    value = parseStoredBody(carrier, row.raw_body);
  } catch {
    throw new ApiError("malformed_json");
  }
  const validation = validatePayload(carrier.schema, value);
  if (!validation.ok) {
    await updateQuarantineIssues(env.DB, id, validation.issues);
    throw new ApiError("invalid_payload", validation.issues, "The delivery is still not a valid event of its carrier.");
  }
  const accepted = await acceptEvent(env, ctx, carrier, validation.output, {
    receivedAt: row.received_at,
    requestUrl: row.request_url,
    rawBody: row.raw_body,
  });
  await resolveQuarantine(env.DB, id, accepted.eventId, new Date().toISOString());
  const event = await getEvent(env.DB, accepted.eventId);
  if (!event) throw new ApiError("internal_error");
  return { event: presentEvent(event), duplicate: accepted.duplicate };
}
