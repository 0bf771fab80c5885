// The CPU bench Worker, run in workerd by bench/node/cpu-workerd.ts (`npm run bench:cpu:workerd`):
// `POST /__cpu?what=check|pipeline|parse|hmac|empty&n=N` with a bench/cpu-steps.ts `CpuInput` as its
// JSON body runs that step N times in a row and answers 200 when done. `hmac` is one bare
// `crypto.subtle.verify("HMAC")` over the body with a key imported beforehand: the floor of any HMAC
// check of that body. A Worker cannot time itself (its
// clocks stand still while it computes), so the driver times each request from outside and subtracts
// the `empty` request (the same request and setup, no step). No bindings. Never deployed, never
// imported by src/.

import { atFixtureClock, type CpuInput, checkStep, pipelineStep, prepareCase } from "./cpu-steps";

const WHAT = ["check", "pipeline", "parse", "hmac", "empty"] as const;
type What = (typeof WHAT)[number];

async function run(what: What, input: CpuInput, n: number): Promise<number> {
  const c = prepareCase(input);
  const key = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const mac = new Uint8Array(32);
  const raw = c.raw as Uint8Array<ArrayBuffer>;
  let sink = 0;
  await atFixtureClock(input, async () => {
    if (what === "check") for (let i = 0; i < n; i++) await checkStep(c);
    else if (what === "pipeline") for (let i = 0; i < n; i++) await pipelineStep(c);
    else if (what === "hmac")
      for (let i = 0; i < n; i++) sink += (await crypto.subtle.verify("HMAC", key, mac, raw)) ? 1 : 0;
    else if (what === "parse") for (let i = 0; i < n; i++) sink += JSON.parse(input.body) ? 1 : 0;
    else for (let i = 0; i < n; i++) sink += i & 1;
  });
  return sink;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/__cpu") return new Response("not found", { status: 404 });
    const what = url.searchParams.get("what") as What;
    const n = Number(url.searchParams.get("n"));
    if (!WHAT.includes(what) || !Number.isInteger(n) || n < 1) {
      return new Response("what=check|pipeline|parse|hmac|empty and n>=1", { status: 400 });
    }
    const input = (await request.json()) as CpuInput;
    try {
      // The sink goes back to the caller, so no loop is dead code to the JIT.
      return Response.json({ sink: await run(what, input, n) });
    } catch (e) {
      return new Response(String(e), { status: 500 });
    }
  },
} satisfies ExportedHandler;
