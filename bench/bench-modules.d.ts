// Resolved by bench/node/start-bench-worker.ts when it bundles the bench Worker: the module that
// consumes the queues (the consumer Worker's entry once it exists, else the Hono app's).
declare module "bench:consumer" {
  const worker: ExportedHandler<Env, unknown>;
  export default worker;
}
