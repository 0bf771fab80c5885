import { toUtcIso } from "../../time/to-utc-iso";

const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;

/** 01:00 UTC on the last Sunday of `month` (0-based) in `year`: when the EU changes its clocks. */
function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/**
 * DPD's `eventTime` (no offset, e.g. `2026-08-28T12:30:15` or `2021-01-08T11:18:52.122`) read as
 * Europe/Warsaw wall-clock time (carriers-next.md 8 "Times"; unconfirmed), as UTC ISO with
 * milliseconds; null when it is not such a time. By the EU rule rather than Intl, so the answer
 * does not depend on the runtime's time-zone data. In October's repeated hour the first occurrence
 * (+02:00) is taken; a time in March's skipped hour is read as +01:00.
 */
export function dpdEventTime(value: string): string | null {
  if (!WALL_CLOCK.test(value)) return null;
  const summer = toUtcIso(`${value}+02:00`);
  if (summer === null) return null;
  const at = Date.parse(summer);
  const year = new Date(at).getUTCFullYear();
  const inSummer = at >= lastSundayAt1Utc(year, 2) && at < lastSundayAt1Utc(year, 9);
  return inSummer ? summer : toUtcIso(`${value}+01:00`);
}
