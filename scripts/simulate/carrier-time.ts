/** Whole seconds, for carriers whose clocks do not send milliseconds. */
export function wholeSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}
