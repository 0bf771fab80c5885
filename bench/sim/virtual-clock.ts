// The simulation's virtual time and seeded randomness, installed over the runtime's globals of the
// sim Worker only (bench/sim/sim-worker.ts imports this module first, so nothing of src/ runs
// before it). The production code reads `new Date()`, `Date.now()`, `Math.random()` and
// `crypto.getRandomValues()`; replacing them here, in a Worker that is never deployed, makes one
// schedule a function of its seed without a single change to src/.

const RealDate = Date;
let nowMs = 0;
let rand: () => number = Math.random;

/** A `Date` whose "now" is the scheduler's virtual time. */
class VirtualDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(nowMs);
    else super(...(args as [string | number | Date]));
  }
  static override now(): number {
    return nowMs;
  }
}

/** The virtual time, in Unix milliseconds. */
export const clock = {
  now: (): number => nowMs,
  set(ms: number): void {
    if (ms < nowMs) throw new Error(`virtual time cannot go back (${ms} < ${nowMs})`);
    nowMs = ms;
  },
  /** Starts a schedule: time and randomness from its seed. */
  reset(ms: number, random: () => number): void {
    nowMs = ms;
    rand = random;
  },
  iso: (): string => new RealDate(nowMs).toISOString(),
};

(globalThis as { Date: DateConstructor }).Date = VirtualDate as unknown as DateConstructor;
Math.random = () => rand();
// Event ids, destination ids, secrets and IVs: seeded too, so a replayed seed makes the same ids
// (their order decides ties, e.g. a shipment's newest event at the same carrier time).
const fill = <T extends ArrayBufferView | null>(array: T): T => {
  if (array) {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
  }
  return array;
};
try {
  Object.defineProperty(crypto, "getRandomValues", { value: fill, configurable: true, writable: true });
} catch {
  // Left as the runtime's: ids then differ between replays of a seed, the schedule does not.
}
