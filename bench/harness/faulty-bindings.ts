// Bindings that fail on demand, for the fault scripts only (bench/fault-worker.ts). Nothing in src/
// imports this: the deployable Worker has no fault switch.

/** A D1 whose every query throws the way a D1 outage does. */
export function failingD1(db: D1Database): D1Database {
  const fail = () => Promise.reject(new Error("D1_ERROR: injected fault: D1 unavailable"));
  const statement = (): D1PreparedStatement =>
    new Proxy({} as D1PreparedStatement, {
      get(_t, prop) {
        if (prop === "bind") return () => statement();
        return fail;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return () => statement();
      if (prop === "batch" || prop === "exec" || prop === "dump") return fail;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A queue producer whose sends are refused, as when Queues is unavailable. */
export function refusingQueue<T>(queue: Queue<T>): Queue<T> {
  const refuse = () => Promise.reject(new Error("injected fault: queue refused the send"));
  return new Proxy(queue, {
    get(target, prop) {
      if (prop === "send" || prop === "sendBatch") return refuse;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A batch holding only some of another batch's messages (acks and retries reach the real ones). */
export function partialBatch<T>(batch: MessageBatch<T>, messages: readonly Message<T>[]): MessageBatch<T> {
  return {
    queue: batch.queue,
    messages,
    ackAll: () => {
      for (const m of messages) m.ack();
    },
    retryAll: (options?: QueueRetryOptions) => {
      for (const m of messages) m.retry(options);
    },
  } as MessageBatch<T>;
}
