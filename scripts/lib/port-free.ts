import { createServer } from "node:net";

/**
 * Throws when something already listens on the port: `startReceiver` would otherwise find that
 * other server's /health answering and the run would check the wrong receiver's storage.
 */
export async function assertPortFree(port: number, host = "127.0.0.1"): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () =>
      reject(new Error(`port ${port} is already in use on ${host}: stop what runs there or pass --port`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
