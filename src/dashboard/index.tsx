import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { nextCursor } from "../api/cursor";
import { getEventDetail } from "../api/db/get-event-detail";
import { getShipment } from "../api/db/get-shipment";
import { listEvents } from "../api/db/list-events";
import { listQuarantine } from "../api/db/list-quarantine";
import { presentEvent, presentEventDetail, presentQuarantine } from "../api/present";
import { listEventsQuery, pageQuery, REPLAY_MAX } from "../api/query-schemas";
import { replayEvent, replayEvents } from "../api/replay-events";
import { retryQuarantined } from "../api/retry-quarantined";
import { stats } from "../api/stats";
import type { AppEnv } from "../app-env";
import { readConfig } from "../config";
import { rowToEvent } from "../db/row-to-event";
import { ApiError } from "../errors/api-error";
import { validatePayload } from "../webhooks/validate-payload";
import { EventPage } from "./event-page";
import { EventsPage } from "./events-page";
import { QuarantinePage } from "./quarantine-page";
import { hasSession, signIn, signOut } from "./session";
import { ShipmentPage } from "./shipment-page";
import { SignInPage } from "./sign-in-page";

/** The operator dashboard, mounted at /dashboard: server-rendered, no script at all. */
export const dashboard = new Hono<AppEnv>();

const NOTICES: Record<string, string> = {
  replayed: "Replayed: the event is queued again (same id).",
  retried: "The delivery validated and is now an event.",
};

dashboard.use(
  "*",
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  }),
);
// State-changing forms are refused unless the browser says they come from this origin;
// the SameSite=Strict session cookie is not sent on cross-site requests either.
dashboard.use("*", csrf());
dashboard.use("*", async (c, next) => {
  if (readConfig(c.env).secrets.ADMIN_TOKEN.length === 0) throw new ApiError("admin_not_configured");
  c.header("Cache-Control", "no-store");
  await next();
});

dashboard.post("/sign-in", async (c) => {
  const form = await c.req.parseBody();
  const token = typeof form.token === "string" ? form.token : "";
  if (!(await signIn(c, token))) return c.html(<SignInPage failed />, 401);
  return c.redirect("/dashboard", 303);
});

dashboard.use("*", async (c, next) => {
  if (await hasSession(c)) return next();
  if (c.req.method === "GET") return c.html(<SignInPage />, 200);
  throw new ApiError("unauthorized");
});

dashboard.post("/sign-out", (c) => {
  signOut(c);
  return c.redirect("/dashboard", 303);
});

/** The list's query without the empty fields a GET form submits. */
function filledQuery(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ""));
}

dashboard.get("/", async (c) => {
  const query = filledQuery(c.req.query());
  delete query.notice;
  const now = new Date();
  const counts = await stats(c.env.DB, undefined, now);
  const parsed = validatePayload(listEventsQuery, query);
  if (!parsed.ok) {
    return c.html(
      <EventsPage query={query} events={[]} nextCursor={null} issues={parsed.issues} stats={counts} now={now} />,
      400,
    );
  }
  const { limit, cursor, ...filter } = parsed.output;
  const page = await listEvents(c.env.DB, filter, { limit, cursor });
  return c.html(
    <EventsPage
      query={query}
      events={page.rows.map(presentEvent)}
      nextCursor={nextCursor(page, (r) => r.seq)}
      notice={c.req.query("notice") === "bulk" ? `Replayed ${Number(c.req.query("n")) || 0} events.` : undefined}
      stats={counts}
      now={now}
    />,
  );
});

dashboard.post("/replay", async (c) => {
  const form = filledQuery(Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, String(v)])));
  const parsed = validatePayload(listEventsQuery, form);
  if (!parsed.ok) throw new ApiError("invalid_request", parsed.issues);
  if (Object.keys(form).length === 0) throw new ApiError("invalid_request");
  const { limit: _limit, cursor: _cursor, ...filter } = parsed.output;
  const page = await listEvents(c.env.DB, filter, { limit: REPLAY_MAX });
  await replayEvents(c.env, page.rows.map(rowToEvent));
  return c.redirect(`/dashboard?${new URLSearchParams({ ...form, notice: "bulk", n: String(page.rows.length) })}`, 303);
});

dashboard.get("/events/:id", async (c) => {
  const found = await getEventDetail(c.env.DB, c.req.param("id"));
  if (!found) throw new ApiError("not_found", undefined, "No event with this id.");
  return c.html(
    <EventPage detail={presentEventDetail(found.row, found.history)} notice={NOTICES[c.req.query("notice") ?? ""]} />,
  );
});

dashboard.post("/events/:id/replay", async (c) => {
  const eventId = await replayEvent(c.env, c.req.param("id"));
  return c.redirect(`/dashboard/events/${encodeURIComponent(eventId)}?notice=replayed`, 303);
});

dashboard.get("/shipments", async (c) => {
  const trackingNumber = (c.req.query("tracking_number") ?? "").trim();
  const { shipment, timeline } = trackingNumber
    ? await getShipment(c.env.DB, trackingNumber)
    : { shipment: null, timeline: [] };
  return c.html(
    <ShipmentPage trackingNumber={trackingNumber} shipment={shipment} timeline={timeline.map(presentEvent)} />,
    shipment || timeline.length ? 200 : 404,
  );
});

dashboard.get("/quarantine", async (c) => {
  const parsed = validatePayload(pageQuery, filledQuery(c.req.query()));
  if (!parsed.ok) throw new ApiError("invalid_request", parsed.issues);
  const page = await listQuarantine(c.env.DB, parsed.output);
  return c.html(
    <QuarantinePage deliveries={page.rows.map(presentQuarantine)} nextCursor={nextCursor(page, (r) => r.id)} />,
  );
});

dashboard.post("/quarantine/:id/retry", async (c) => {
  try {
    const accepted = await retryQuarantined(c.env, c.executionCtx, c.req.param("id"));
    return c.redirect(`/dashboard/events/${encodeURIComponent(accepted.eventId)}?notice=retried`, 303);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "invalid_payload") throw err;
    const page = await listQuarantine(c.env.DB, { limit: 50 });
    return c.html(
      <QuarantinePage
        deliveries={page.rows.map(presentQuarantine)}
        nextCursor={null}
        issues={[{ path: c.req.param("id"), message: err.message }, ...(err.issues ?? [])]}
      />,
      422,
    );
  }
});
