// The floor for bench/node/cold-start.ts: a bare Hono app with one /health route, bundled by
// wrangler like the real app (bench/wrangler.bare-hono.toml). Never deployed.
import { Hono } from "hono";

const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok" }));

export default app;
