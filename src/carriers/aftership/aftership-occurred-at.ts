import { toUtcIso } from "../../time/to-utc-iso";

/**
 * carriers-more.md section 8 "Times": the newest checkpoint's `checkpoint_time` when it carries an
 * offset or `Z`; else `ts` (Unix seconds, when AfterShip sent the webhook). A checkpoint time
 * without an offset is the checkpoint's local time, and guessing its zone would shift the event
 * by hours.
 */
export function aftershipOccurredAt(checkpointTime: string | null | undefined, ts: number): string {
  return (checkpointTime ? toUtcIso(checkpointTime) : null) ?? new Date(ts * 1000).toISOString();
}
