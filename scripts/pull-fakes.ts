// `npm run dev` starts this beside wrangler dev (scripts/dev.mjs): every registered pull source's
// local fake (its folder's `fake.ts`), listening where the source's endpoint setting in .dev.vars
// points (a loopback address only), and adding events every few seconds, so the cron job that
// dev.mjs triggers each minute has something to read. Alone: `node scripts/run.mjs
// scripts/pull-fakes.ts [--tick-seconds 5]`. Ends on SIGINT/SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { REGISTRY } from "../src/carriers";
import { isPullSource, type PullFake } from "../src/carriers/pull-kit";
import { readVarsFile } from "./simulate/secrets";

const { values } = parseArgs({ options: { "tick-seconds": { type: "string", default: "5" } } });
const tickMs = Number(values["tick-seconds"]) * 1000;
const vars: Record<string, string | undefined> = {
  ...readVarsFile(".dev.vars.example"),
  ...readVarsFile(".dev.vars"),
  ...process.env,
};
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const servers: { close(): void }[] = [];
const timers: NodeJS.Timeout[] = [];
for (const source of REGISTRY.filter(isPullSource)) {
  let fake: PullFake | undefined;
  try {
    fake = ((await import(`../src/carriers/${source.name}/fake.ts`)) as { fake?: PullFake }).fake;
  } catch {
    fake = undefined;
  }
  if (!fake) continue;
  const endpoint = vars[fake.endpointSetting];
  const url = endpoint ? new URL(endpoint) : null;
  if (!url || !LOOPBACK.has(url.hostname) || !url.port) {
    console.log(`pull-fakes: ${source.name}: ${fake.endpointSetting} is not a local address, no fake started`);
    continue;
  }
  const service = fake.create(vars);
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const request = new Request(new URL(req.url ?? "/", url), {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await body(req)),
      });
      const answer = await service.fetch(request);
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (err) {
      // An injected network fault, or a bug: the connection drops, as a dead service's would.
      console.error(`pull-fakes: ${source.name}: ${err instanceof Error ? err.message : err}`);
      res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(url.port), url.hostname.replace(/^\[|\]$/g, ""), () => resolve());
  });
  servers.push(server);
  console.log(`pull-fakes: ${source.name}: a local fake at ${url.origin}${url.pathname}`);
  if (service.tick) {
    let ticks = 0;
    timers.push(
      setInterval(() => {
        const line = service.tick?.();
        // A line a minute, not one per tick.
        if (++ticks % Math.max(1, Math.round(60_000 / tickMs)) === 0 && line) {
          console.log(`pull-fakes: ${source.name}: ${line}`);
        }
      }, tickMs),
    );
  }
}

function stop() {
  for (const t of timers) clearInterval(t);
  for (const s of servers) s.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
if (servers.length === 0) console.log("pull-fakes: no pull source points at a local fake");
