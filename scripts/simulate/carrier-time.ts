/** InPost's `event_ts`: local time with its offset, `2020-03-20 15:08:06 +0100`. */
export function inpostTime(at: Date, offsetMinutes: number): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, "0");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const off = Math.abs(offsetMinutes);
  return (
    `${local.getUTCFullYear()}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())} ` +
    `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} ` +
    `${sign}${p(Math.floor(off / 60))}${p(off % 60)}`
  );
}

/** SwiftPOD's microsecond UTC time, `2022-07-08T13:24:00.128774Z`. */
export function swiftpodTime(at: Date, micros: number): string {
  return at.toISOString().replace(/\.\d{3}Z$/, `.${String(at.getUTCMilliseconds()).padStart(3, "0")}${micros}Z`);
}

/** Postmen's ISO time with an offset, `2016-09-26T07:15:30+00:00`. */
export function postmenTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** Whole seconds, for carriers whose clocks do not send milliseconds. */
export function wholeSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}
