// One schedule's world: the two Workers' isolates (their env and caches), the simulated queues and
// destinations, the carriers sending webhooks, and the operator, each act a task of the scheduler
// running the real code: the Hono app's `fetch` (webhooks and the operator API), its `scheduled`
// (the cron jobs), and the consumer's `handleEventBatch` / `handleDeadLetters`.
import type { Rng } from "../../scripts/simulate/rng";
import type { CarrierEvent, CarrierSim } from "../../scripts/simulate/types";
import { handleDeadLetters, handleEventBatch } from "../../src/consumer";
import { CRON_JOBS } from "../../src/cron-jobs";
import receiver from "../../src/index";
import { runCronJobs } from "../../src/scheduled";
import { gatedD1 } from "./gated-d1";
import { type Isolate, Scheduler, type Task } from "./scheduler";
import { SimDestinations } from "./sim-destinations";
import { SimQueue } from "./sim-queue";
import { clock } from "./virtual-clock";

/** As wrangler.consumer.toml configures the events queue. */
export const MAX_RETRIES = 10;
const DLQ_MAX_RETRIES = 3;
export const MAX_CONCURRENCY = 5;

const worker = receiver as Required<Pick<ExportedHandler<Env>, "fetch">>;

export interface PlannedWebhook {
  due: number;
  event: CarrierEvent;
  tries: number;
  /** An exact resend of an event already accepted (a carrier's own retry). */
  resend: boolean;
}

export interface Accepted {
  eventId: string;
  at: number;
  event: CarrierEvent;
}

export class World {
  readonly sched: Scheduler;
  readonly events: SimQueue;
  readonly dlq: SimQueue;
  readonly dests: SimDestinations;
  readonly vars: { app: Record<string, string>; consumer: Record<string, string> };
  app: Isolate;
  consumer: Isolate;
  private isolates = 0;
  readonly plan: PlannedWebhook[] = [];
  readonly accepted: Accepted[] = [];
  /** Periods the consumer ran without FORWARD_URL: `default` owes nothing accepted before their end. */
  readonly forwardUrlUnset: { from: number; to: number }[] = [];
  readonly adminToken: string;
  /** The carriers' answers by status (a 4xx here would be the simulation's own mistake). */
  readonly answers = new Map<number, number>();

  constructor(
    readonly rng: Rng,
    private readonly db: D1Database,
    vars: Record<string, string>,
    private readonly sims: Record<string, CarrierSim>,
    private readonly settings: Record<string, string>,
  ) {
    this.sched = new Scheduler(rng, (iso) => {
      if (iso === this.app) this.app = this.isolate("app");
      if (iso === this.consumer) this.consumer = this.isolate("consumer");
    });
    this.dlq = new SimQueue(
      vars.DEAD_LETTER_QUEUE_NAME ?? "carrier-events-dlq",
      DLQ_MAX_RETRIES,
      null,
      this.sched,
      rng,
    );
    this.events = new SimQueue(vars.EVENTS_QUEUE_NAME ?? "carrier-events", MAX_RETRIES, this.dlq, this.sched, rng);
    this.dests = new SimDestinations(this.sched, rng);
    this.vars = { app: { ...vars }, consumer: { ...vars } };
    this.adminToken = vars.ADMIN_TOKEN ?? "";
    this.app = this.isolate("app");
    this.consumer = this.isolate("consumer");
  }

  private isolate(worker: "app" | "consumer"): Isolate {
    const env = {
      ...this.vars[worker],
      DB: gatedD1(this.db, this.sched),
      ...(worker === "app" ? { EVENTS_QUEUE: this.events.producer() } : {}),
    } as unknown as Env;
    return { worker, no: ++this.isolates, env, dead: false };
  }

  /** A configuration change (a deploy or `wrangler secret put`): new isolates take the new vars. */
  setVar(workers: readonly ("app" | "consumer")[], name: string, value: string | undefined, shown = value): void {
    for (const w of workers) {
      if (value === undefined) delete this.vars[w][name];
      else this.vars[w][name] = value;
      if (w === "app") this.app = this.isolate("app");
      else this.consumer = this.isolate("consumer");
    }
    this.sched.trace(`CONFIG ${name} ${value === undefined ? "unset" : `= ${shown}`} on ${workers.join(" and ")}`);
  }

  // ---- the carriers ----

  /** A carrier sends one webhook (signed now, with its real authentication) to the Hono app. */
  sendWebhook(p: PlannedWebhook): Task {
    const sim = this.sims[p.event.carrier] as CarrierSim;
    const signed = sim.sign(JSON.stringify(p.event.payload), this.settings, this.rng);
    const request = new Request(`https://parcelhook.sim${signed.path}`, {
      method: signed.method,
      headers: signed.headers,
      body: signed.body,
    });
    const iso = this.app;
    const retry = (why: string) => {
      this.sched.trace(`webhook ${p.event.label} (${p.event.carrier}) ${why}: the carrier sends it again later`);
      this.plan.push({ ...p, due: clock.now() + this.rng.int(30, 600) * 1000, tries: p.tries + 1 });
    };
    return this.sched.spawn(
      "webhook",
      iso,
      async () => {
        const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], iso.env, executionContext());
        const text = await res.text();
        this.answers.set(res.status, (this.answers.get(res.status) ?? 0) + 1);
        if (res.status !== 200) return retry(`answered ${res.status} ${text.slice(0, 80)}`);
        const { event_id: eventId, status } = JSON.parse(text) as { event_id: string; status: string };
        this.sched.trace(`webhook ${p.event.label} (${p.event.carrier}) ${status} as ${eventId}`);
        if (status === "accepted" || !this.accepted.some((a) => a.eventId === eventId))
          this.accepted.push({ eventId, at: clock.now(), event: p.event });
      },
      () => retry("got no answer (the isolate died)"),
    );
  }

  // ---- the queues ----

  consume(max: number): number {
    return this.events.deliver(max, (batch, settle) => {
      const iso = this.consumer;
      const ids = [...new Set(batch.messages.map((m) => (m.body as { id: string }).id))];
      const task = this.sched.spawn(
        "consumer",
        iso,
        async () => {
          try {
            await handleEventBatch(batch, iso.env, this.dests.fetch);
            settle("returned");
          } catch (err) {
            this.sched.trace(`consumer#${task.id} threw ${(err as Error).message}: its messages are retried`);
            settle("threw");
          }
        },
        () => settle("killed"),
      );
      this.sched.trace(`consumer#${task.id} takes ${ids.join(" ")}`);
    });
  }

  consumeDeadLetters(): number {
    return this.dlq.deliver(100, (batch, settle) => {
      const iso = this.consumer;
      const task = this.sched.spawn(
        "dead-letters",
        iso,
        async () => {
          try {
            await handleDeadLetters(batch, iso.env);
            settle("returned");
          } catch {
            settle("threw");
          }
        },
        () => settle("killed"),
      );
      this.sched.trace(
        `dead-letters#${task.id} takes ${batch.messages.map((m) => (m.body as { id: string }).id).join(" ")}`,
      );
    });
  }

  // ---- cron and operator ----

  /**
   * The cron trigger at `scheduledTime`: every job of the Hono app's CRON_JOBS, side by side as
   * `runCronJobs` runs them, each its own task here so the scheduler interleaves their round trips
   * (one job that throws is logged and stops none of the others, as there).
   */
  cron(scheduledTime: number): Task[] {
    const iso = this.app;
    return CRON_JOBS.map((job) =>
      this.sched.spawn(`cron:${job.name}`, iso, () =>
        runCronJobs([job], iso.env, new Date(scheduledTime), async () => {}),
      ),
    );
  }

  /** An operator's call to the operator API, through the Hono app's real routes. */
  api(
    method: string,
    path: string,
    body: unknown,
    then: (status: number | null, json: unknown) => void = () => {},
  ): Task {
    const iso = this.app;
    const what = `OP ${method} ${path}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`;
    return this.sched.spawn(
      "operator",
      iso,
      async () => {
        const res = await worker.fetch(
          new Request(`https://parcelhook.sim${path}`, {
            method,
            headers: { authorization: `Bearer ${this.adminToken}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          }) as Parameters<typeof worker.fetch>[0],
          iso.env,
          executionContext(),
        );
        const text = await res.text();
        this.sched.trace(`${what}: ${res.status}${res.status >= 300 ? ` ${text.slice(0, 100)}` : ""}`);
        then(res.status, text === "" ? null : JSON.parse(text));
      },
      () => {
        this.sched.trace(`${what}: no answer (the isolate died)`);
        then(null, null);
      },
    );
  }

  /** Runs the scheduler without faults until `task` ends. */
  async finish(task: Task): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      await this.sched.settle();
      if (task.state !== "running") return;
      if (!this.sched.releaseOne() && !this.sched.fireTimers()) {
        const next = this.sched.nextTimerAt();
        if (next === undefined) throw new Error(`${task.kind}#${task.id} is stuck`);
        clock.set(Math.max(clock.now(), next));
      }
    }
    throw new Error(`${task.kind}#${task.id} did not finish`);
  }
}

function executionContext(): ExecutionContext {
  return {
    // What a request leaves running (the request counters' flush) goes on in its task's context.
    waitUntil: () => {},
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
}
