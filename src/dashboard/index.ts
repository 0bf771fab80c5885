import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { Hono } from "hono/tiny";
import { countOperatorRefusal, operatorTokens } from "../api/require-admin";
import type { AppEnv } from "../app-env";
import { ApiError } from "../errors/api-error";
import {
  bulkReplay,
  eventDetail,
  eventsPage,
  operatorStats,
  quarantinePage,
  replayOne,
  retryQuarantined,
  shipmentDetail,
  shipmentsCsv,
  shipmentsPage,
} from "../operator";
import { parseInput } from "../operator/parse-input";
import {
  EVENT_FILTERS,
  listEventsQuery,
  listShipmentsQuery,
  pageQuery,
  replayForm,
  shipmentQuery,
} from "../operator/query-schemas";
import { loadDashboardCss } from "./dashboard-css";
import { destinationRoutes } from "./destination-routes";
import { EventPage } from "./event-page";
import { EventsPage } from "./events-page";
import { QuarantinePage } from "./quarantine-page";
import { hasSession, signIn, signOut } from "./session";
import { ShipmentPage } from "./shipment-page";
import { filterQuery, PRESETS } from "./shipment-presets";
import { ShipmentsPage, type ShownSection } from "./shipments-page";
import { SignInPage } from "./sign-in-page";

/** The operator dashboard, mounted at /dashboard: server-rendered, no script at all. */
export const dashboard = new Hono<AppEnv>();

const NOTICES: Record<string, string> = {
  replayed: "Replayed: the event is queued again (same id).",
  retried: "The delivery validated and is now an event.",
};
/** The dashboard's forms are a token or a few filters; anything bigger is not from them. */
const FORM_MAX_BYTES = 4096;
const PRESET_ROWS = 100;

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
dashboard.use("*", async (c, next) => {
  await loadDashboardCss(c.env.ASSETS);
  await next();
});
dashboard.use(
  "*",
  bodyLimit({
    maxSize: FORM_MAX_BYTES,
    onError: () => {
      throw new ApiError("payload_too_large");
    },
  }),
);
// State-changing forms are refused unless the browser says they come from this origin;
// the SameSite=Strict session cookie is not sent on cross-site requests either.
dashboard.use("*", csrf());
dashboard.use("*", async (c, next) => {
  operatorTokens(c); // 503 admin_not_configured, with the reason, when no usable token is set
  c.header("Cache-Control", "no-store");
  await next();
});

dashboard.post("/sign-in", async (c) => {
  const form = await c.req.parseBody();
  const token = typeof form.token === "string" ? form.token : "";
  if (!(await signIn(c, token))) {
    countOperatorRefusal(c, "sign_in_failed");
    return c.html(SignInPage({ failed: true }), 401);
  }
  return c.redirect("/dashboard", 303);
});

dashboard.use("*", async (c, next) => {
  if (await hasSession(c)) return next();
  if (c.req.method === "GET") return c.html(SignInPage({}), 200);
  throw new ApiError("unauthorized");
});

dashboard.post("/sign-out", (c) => {
  signOut(c);
  return c.redirect("/dashboard", 303);
});

/**
 * A query or form without the empty fields a GET form submits; a field sent several times (a
 * multiple select) becomes one comma list, as the API takes it.
 */
function filled(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value === "") continue;
    out[key] = out[key] === undefined ? value : `${out[key]},${value}`;
  }
  return out;
}
const queryOf = (url: string) => filled(new URL(url).searchParams);

/** The event filters of a parsed request, as a query string (no paging). */
function eventFilterQuery(q: Record<string, string>): Record<string, string> {
  return Object.fromEntries(EVENT_FILTERS.filter((f) => q[f] !== undefined).map((f) => [f, q[f] as string]));
}

dashboard.get("/", async (c) => {
  // The bulk replay's answer rides along in the URL; it is the page's, not the list's.
  const { notice, replayed, next, ...query } = queryOf(c.req.url);
  const now = new Date();
  const stats = await operatorStats(c.env, undefined, now);
  const bulk =
    notice === "bulk"
      ? { replayed: Number(replayed) || 0, next: next ?? null, filter: eventFilterQuery(query) }
      : undefined;
  let page: Awaited<ReturnType<typeof eventsPage>>;
  try {
    page = await eventsPage(c.env.DB, parseInput(listEventsQuery, query));
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "invalid_request") throw err;
    return c.html(EventsPage({ query, events: [], nextCursor: null, issues: err.issues, stats, now }), 400);
  }
  return c.html(EventsPage({ query, events: page.events, nextCursor: page.next_cursor, bulk, stats, now }));
});

dashboard.post("/replay", async (c) => {
  const form = filled(
    Object.entries(await c.req.parseBody()).flatMap(([k, v]) =>
      typeof v === "string" ? [[k, v] as [string, string]] : [],
    ),
  );
  const { limit, cursor, ...filter } = parseInput(replayForm, form);
  const result = await bulkReplay(c.env, { ...filter, limit, cursor });
  const back = new URLSearchParams({ ...eventFilterQuery(form), notice: "bulk", replayed: String(result.replayed) });
  if (result.next_cursor) back.set("next", result.next_cursor);
  return c.redirect(`/dashboard?${back}`, 303);
});

dashboard.get("/events/:id", async (c) => {
  const detail = await eventDetail(c.env.DB, c.req.param("id"));
  return c.html(EventPage({ detail, notice: NOTICES[c.req.query("notice") ?? ""] }));
});

dashboard.post("/events/:id/replay", async (c) => {
  const { event_id } = await replayOne(c.env, c.req.param("id"));
  return c.redirect(`/dashboard/events/${encodeURIComponent(event_id)}?notice=replayed`, 303);
});

dashboard.get("/shipments", async (c) => {
  const { preset: presetName, tracking_number, ...query } = queryOf(c.req.url);
  // The header's "Find shipment" box.
  if (tracking_number) return c.redirect(`/dashboard/shipments/${encodeURIComponent(tracking_number.trim())}`, 303);
  const now = new Date();
  const custom = Object.keys(query).length > 0;
  const preset = custom ? undefined : (PRESETS.find((p) => p.name === presetName) ?? PRESETS[0]);
  if (preset) {
    const sections: ShownSection[] = await Promise.all(
      preset.sections(now).map(async (s) => {
        const page = await shipmentsPage(c.env.DB, { ...s.filter, limit: PRESET_ROWS }, now);
        const more = page.next_cursor && `/dashboard/shipments?${new URLSearchParams(filterQuery(s.filter))}`;
        return { title: s.title, rows: page.shipments, waited: s.waited, moreHref: more };
      }),
    );
    return c.html(ShipmentsPage({ preset: preset.name, query: {}, sections, now }));
  }
  let parsed: ReturnType<typeof parseInput<typeof listShipmentsQuery>>;
  try {
    parsed = parseInput(listShipmentsQuery, query);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "invalid_request") throw err;
    return c.html(ShipmentsPage({ query, sections: [], issues: err.issues, now }), 400);
  }
  const { format: _format, ...list } = parsed;
  const page = await shipmentsPage(c.env.DB, list, now);
  const { cursor: _cursor, ...filters } = query;
  const older =
    page.next_cursor && `/dashboard/shipments?${new URLSearchParams({ ...filters, cursor: page.next_cursor })}`;
  return c.html(
    ShipmentsPage({
      query,
      sections: [{ title: "Matching shipments", rows: page.shipments, waited: true, moreHref: older }],
      csvHref: `/dashboard/shipments.csv?${new URLSearchParams(query)}`,
      now,
    }),
  );
});

dashboard.get("/shipments.csv", async (c) => {
  const { format: _format, ...list } = parseInput(listShipmentsQuery, queryOf(c.req.url));
  const page = await shipmentsPage(c.env.DB, list);
  return c.body(shipmentsCsv(page.shipments), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="shipments.csv"',
  });
});

dashboard.get("/shipments/:tracking_number", async (c) => {
  const { carrier } = parseInput(shipmentQuery, queryOf(c.req.url));
  const trackingNumber = c.req.param("tracking_number");
  try {
    return c.html(ShipmentPage({ trackingNumber, shipment: await shipmentDetail(c.env.DB, trackingNumber, carrier) }));
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "not_found") throw err;
    return c.html(ShipmentPage({ trackingNumber, shipment: null }), 404);
  }
});

dashboard.get("/quarantine", async (c) => {
  const page = await quarantinePage(c.env.DB, parseInput(pageQuery, queryOf(c.req.url)));
  return c.html(QuarantinePage({ deliveries: page.deliveries, nextCursor: page.next_cursor }));
});

dashboard.post("/quarantine/:id/retry", async (c) => {
  try {
    const retried = await retryQuarantined(c.env, c.executionCtx, c.req.param("id"));
    return c.redirect(`/dashboard/events/${encodeURIComponent(retried.event.id)}?notice=retried`, 303);
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== "invalid_payload") throw err;
    const page = await quarantinePage(c.env.DB, { limit: 50 });
    return c.html(
      QuarantinePage({
        deliveries: page.deliveries,
        nextCursor: null,
        issues: [{ path: c.req.param("id"), message: err.message }, ...(err.issues ?? [])],
      }),
      422,
    );
  }
});

dashboard.route("/destinations", destinationRoutes);
