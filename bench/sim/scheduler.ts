// The seeded scheduler: every invocation of the real code (a webhook request, a consumer batch, a
// dead-letter batch, a cron job, an operator call) is a task, and every D1 round trip a task makes
// parks it at a gate. The scheduler releases one parked round trip at a time, chosen by the seeded
// RNG, so invocations interleave at round-trip granularity as they do on Cloudflare (many isolates,
// one D1 writer), and a schedule is a function of its seed. At each release it may inject a fault:
// the round trip throws before it commits, or after it committed, or the invocation dies there.

import { AsyncLocalStorage } from "node:async_hooks";
import type { Rng } from "../../scripts/simulate/rng";
import { onRealAsync } from "./real-async";
import { clock } from "./virtual-clock";

export type Fault = "none" | "throw-before" | "throw-after" | "kill";

/** Where an invocation runs: its env (a Worker's bindings and vars) and its per-isolate caches. */
export interface Isolate {
  worker: "app" | "consumer";
  no: number;
  env: Env;
  dead: boolean;
}

export interface Task {
  id: number;
  kind: string;
  isolate: Isolate;
  state: "running" | "done" | "killed" | "threw";
  trips: number;
  /** Called once if the invocation dies (its queue messages are then redelivered). */
  onKill?: () => void;
}

interface Gate {
  task: Task;
  label: string;
  release(fault: Exclude<Fault, "kill">): void;
}

interface Timer {
  at: number;
  seq: number;
  run(): void;
}

export interface FaultRates {
  /** Per round trip: throws before it commits. */
  throwBefore: number;
  /** Per round trip: throws after it committed. */
  throwAfter: number;
  /** Per round trip: the invocation dies before it (between this one and the previous). */
  kill: number;
}

export const NO_FAULTS: FaultRates = { throwBefore: 0, throwAfter: 0, kill: 0 };

const realSetTimeout = globalThis.setTimeout.bind(globalThis);

/** One turn of the real event loop: microtasks and the runtime's own I/O callbacks have run. */
function turn(): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, 0));
}

export class Scheduler {
  readonly als = new AsyncLocalStorage<Task>();
  readonly pending: Gate[] = [];
  private inflight = 0;
  private readonly idle: (() => void)[] = [];
  /** How many times the scheduler waited for the tasks to settle (for the figures). */
  settles = 0;
  /** Settles that ended by the event loop going quiet, not by every task parking (the slow path). */
  quietSettles = 0;
  /** Real asynchronous calls the settles waited for (WebCrypto, body reads). */
  realWork = 0;
  /** Round trips by kind of invocation (for the figures). */
  readonly trips = new Map<string, number>();
  private nextTask = 1;
  private finished = 0;
  readonly tasks = new Set<Task>();
  private timers: Timer[] = [];
  private timerSeq = 0;
  rates: FaultRates = NO_FAULTS;
  readonly log: string[] = [];

  constructor(
    readonly rng: Rng,
    private readonly onIsolateDeath: (isolate: Isolate) => void,
  ) {
    onRealAsync((work) => this.real(work));
    // Production code waits with setTimeout in one place (the request counters' flush): on the
    // virtual clock too, fired by the scheduler when virtual time passes.
    (globalThis as { setTimeout: unknown }).setTimeout = (fn: () => void, ms = 0) => {
      const store = this.als.getStore();
      const run = store ? () => this.als.run(store, fn) : fn;
      this.timers.push({ at: clock.now() + Math.max(0, ms), seq: this.timerSeq++, run });
      return this.timerSeq;
    };
  }

  trace(line: string): void {
    this.log.push(`${clock.iso().slice(5, 19)} ${line}`);
  }

  /** Runs `fn` as one invocation in `isolate`; resolves when it ends (never, if it is killed). */
  spawn(kind: string, isolate: Isolate, fn: () => Promise<void>, onKill?: () => void): Task {
    const task: Task = { id: this.nextTask++, kind, isolate, state: "running", trips: 0, onKill };
    this.tasks.add(task);
    this.als.run(task, () => {
      fn().then(
        () => this.end(task, "done"),
        (err: unknown) => {
          this.trace(`${kind}#${task.id} threw: ${err instanceof Error ? err.message : String(err)}`);
          this.end(task, "threw");
        },
      );
    });
    return task;
  }

  private end(task: Task, state: "done" | "threw"): void {
    if (task.state !== "running") return;
    task.state = state;
    this.tasks.delete(task);
    this.finished++;
  }

  /** Real work in flight (bench/sim/real-async.ts): settle() waits for it as for a released round trip. */
  private real<T>(work: Promise<T>): Promise<T> {
    this.realWork++;
    this.inflight++;
    const done = () => {
      if (--this.inflight === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
    work.then(done, done);
    return work;
  }

  /** A D1 round trip of the current task: parked until the scheduler releases it. */
  async roundTrip<T>(label: string, call: () => Promise<T>): Promise<T> {
    const task = this.als.getStore();
    // Setup and the invariant checks run outside any task: straight through.
    if (task === undefined) return call();
    if (task.state === "killed" || task.isolate.dead) return new Promise<T>(() => {});
    const fault = await new Promise<Exclude<Fault, "kill">>((release) => this.pending.push({ task, label, release }));
    task.trips++;
    this.trips.set(task.kind, (this.trips.get(task.kind) ?? 0) + 1);
    const where = `${task.kind}#${task.id} trip ${task.trips} (${label})`;
    if (fault === "throw-before") {
      this.trace(`FAULT ${where}: D1 throws before commit`);
      throw new Error(`D1_ERROR: simulated failure before commit (${label})`);
    }
    this.inflight++;
    let result: T;
    try {
      result = await call();
    } finally {
      if (--this.inflight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
    if (fault === "throw-after") {
      this.trace(`FAULT ${where}: D1 committed, then the connection failed`);
      throw new Error(`D1_ERROR: simulated network failure after commit (${label})`);
    }
    return result;
  }

  /**
   * Waits until every running task is parked at a gate, done, or waiting on a virtual timer. Fast
   * when every running task is parked (the usual case: one task ran from one round trip to its
   * next); otherwise until nothing changes over a few turns of the event loop with no real D1
   * call in flight.
   */
  async settle(): Promise<void> {
    this.settles++;
    let stable = 0;
    let last = "";
    for (;;) {
      if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
      await turn();
      if (this.inflight > 0) continue;
      const parked = new Set(this.pending.map((g) => g.task));
      if ([...this.tasks].every((t) => parked.has(t))) return;
      const sig = `${this.pending.length}/${this.finished}/${this.timers.length}`;
      if (sig === last) {
        if (++stable >= 3) {
          this.quietSettles++;
          return;
        }
      } else {
        stable = 0;
        last = sig;
      }
    }
  }

  /** Releases one parked round trip chosen by the RNG, maybe with a fault. */
  releaseOne(): boolean {
    if (this.pending.length === 0) return false;
    const i = this.rng.int(0, this.pending.length - 1);
    const gate = this.pending.splice(i, 1)[0] as Gate;
    const r = this.rng.next();
    const { throwBefore, throwAfter, kill } = this.rates;
    if (r < kill) {
      this.kill(
        gate.task.isolate,
        `before trip ${gate.task.trips + 1} (${gate.label}) of ${gate.task.kind}#${gate.task.id}`,
      );
      return true;
    }
    gate.release(
      r < kill + throwBefore ? "throw-before" : r < kill + throwBefore + throwAfter ? "throw-after" : "none",
    );
    return true;
  }

  /**
   * The isolate dies (CPU or wall limit, eviction, a deploy): every invocation in it stops where it
   * is, parked round trips are never made, and its caches are gone (a new isolate takes over).
   */
  kill(isolate: Isolate, where: string): void {
    if (isolate.dead) return;
    isolate.dead = true;
    const victims = [...this.tasks].filter((t) => t.isolate === isolate).map((t) => `${t.kind}#${t.id}`);
    this.trace(`FAULT ${isolate.worker} isolate ${isolate.no} killed ${where}; it ran ${victims.join(" ")}`);
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i]?.task.isolate === isolate) this.pending.splice(i, 1);
    }
    for (const t of [...this.tasks]) {
      if (t.isolate !== isolate) continue;
      t.state = "killed";
      this.tasks.delete(t);
      this.finished++;
      t.onKill?.();
    }
    this.onIsolateDeath(isolate);
  }

  /** Every task still running is given up as dead (it waits on something that never comes). */
  abandon(): void {
    for (const t of [...this.tasks]) {
      this.trace(`STUCK ${t.kind}#${t.id} waits on nothing that can resolve: treated as dead`);
      t.state = "killed";
      this.tasks.delete(t);
      this.finished++;
      t.onKill?.();
    }
  }

  /** Runs the virtual timers due by now; returns whether any ran. */
  fireTimers(): boolean {
    const due = this.timers.filter((t) => t.at <= clock.now()).sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (due.length === 0) return false;
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const t of due) t.run();
    return true;
  }

  nextTimerAt(): number | undefined {
    return this.timers.length === 0 ? undefined : Math.min(...this.timers.map((t) => t.at));
  }

  running(kind?: string): number {
    return [...this.tasks].filter((t) => kind === undefined || t.kind === kind).length;
  }

  /** Forgets every task and timer (between schedules). */
  clear(): void {
    this.pending.length = 0;
    this.tasks.clear();
    this.timers = [];
    this.log.length = 0;
  }
}
