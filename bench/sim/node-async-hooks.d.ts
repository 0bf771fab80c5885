// workerd implements AsyncLocalStorage natively (the nodejs_compat flag). Only what the sim's
// scheduler uses is declared, so the Workers' typecheck stays free of Node's types.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, fn: () => R): R;
  }
}
