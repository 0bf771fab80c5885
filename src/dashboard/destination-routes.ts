import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env";
import { actorOf } from "../auth/actor-of";
import { ApiError } from "../errors/api-error";
import {
  changeDestination,
  createDestination,
  destinationDetail,
  listDestinations,
  removeDestination,
  replayToDestination,
  rotateDestinationSecret,
} from "../operator";
import { parseInput } from "../operator/parse-input";
import { createDestinationBody, replayForm, updateDestinationBody } from "../operator/query-schemas";
import { DeleteDestinationPage, DestinationPage } from "./destination-page";
import { DestinationsPage } from "./destinations-page";

/** The dashboard's destinations pages, mounted at /dashboard/destinations behind the session check. */
export const destinationRoutes = new Hono<AppEnv>();

type Form = Record<string, string | string[]>;

/** A form's fields, a field sent several times (a multiple select) as a list, empty fields left out. */
async function readForm(req: { parseBody: (o: { all: true }) => Promise<Record<string, unknown>> }): Promise<Form> {
  const out: Form = {};
  for (const [key, value] of Object.entries(await req.parseBody({ all: true }))) {
    const values = (Array.isArray(value) ? value : [value]).filter(
      (x): x is string => typeof x === "string" && x !== "",
    );
    if (values.length > 0)
      out[key] =
        values.length === 1 && !["carriers", "statuses", "types"].includes(key) ? (values[0] as string) : values;
  }
  return out;
}

const one = (form: Form, key: string) => (typeof form[key] === "string" ? (form[key] as string) : undefined);

/** The filter the three multiple selects make (none chosen: every event). */
function filterOf(form: Form): Record<string, string[]> {
  const filter: Record<string, string[]> = {};
  for (const key of ["carriers", "statuses", "types"]) {
    const value = form[key];
    if (Array.isArray(value)) filter[key] = value;
  }
  return filter;
}

const NOTICES: Record<string, string> = {
  paused: "Paused: nothing is sent there until it is resumed.",
  resumed: "Resumed: what arrived while it was paused is delivered, oldest first.",
  saved: "Saved.",
  deleted: "Deleted: nothing more is sent there.",
};

/** An operator's mistake in a form, shown on the page it came from (400); anything else is thrown on. */
function issuesOf(err: unknown) {
  if (err instanceof ApiError && (err.code === "invalid_request" || err.code === "destinations_not_configured")) {
    return err.issues ?? [{ path: "$", message: err.message }];
  }
  throw err;
}

destinationRoutes.get("/", async (c) => {
  const notice = NOTICES[c.req.query("notice") ?? ""];
  return c.html(DestinationsPage({ destinations: (await listDestinations(c.env)).destinations, notice }));
});

destinationRoutes.post("/", async (c) => {
  const form = await readForm(c.req);
  try {
    const { secret, ...destination } = await createDestination(
      c.env,
      parseInput(createDestinationBody, {
        name: one(form, "name") ?? "",
        url: one(form, "url") ?? "",
        filter: filterOf(form),
      }),
      actorOf(c),
    );
    // The secret is in this page only: never in a URL, a redirect or a later page.
    return c.html(DestinationPage({ destination, secret, notice: "Destination added." }), 201);
  } catch (err) {
    const issues = issuesOf(err);
    const { destinations } = await listDestinations(c.env);
    const values = { name: one(form, "name"), url: one(form, "url") };
    return c.html(DestinationsPage({ destinations, issues, form: values }), 400);
  }
});

destinationRoutes.get("/:id", async (c) => {
  const destination = await destinationDetail(c.env, c.req.param("id"));
  const replayed = c.req.query("replayed");
  const notice =
    replayed !== undefined
      ? `Replayed ${Number(replayed) || 0} ${replayed === "1" ? "event" : "events"} to this destination.`
      : NOTICES[c.req.query("notice") ?? ""];
  return c.html(DestinationPage({ destination, notice }));
});

destinationRoutes.post("/:id", async (c) => {
  const id = c.req.param("id");
  const form = await readForm(c.req);
  try {
    const body = parseInput(updateDestinationBody, {
      name: one(form, "name") ?? "",
      url: one(form, "url") ?? "",
      filter: filterOf(form),
    });
    await changeDestination(c.env, id, body, actorOf(c));
    return c.redirect(`/dashboard/destinations/${encodeURIComponent(id)}?notice=saved`, 303);
  } catch (err) {
    const issues = issuesOf(err);
    return c.html(DestinationPage({ destination: await destinationDetail(c.env, id), issues }), 400);
  }
});

for (const [action, paused] of [
  ["pause", true],
  ["resume", false],
] as const) {
  destinationRoutes.post(`/:id/${action}`, async (c) => {
    const id = c.req.param("id");
    const form = await readForm(c.req);
    await changeDestination(c.env, id, { paused }, actorOf(c));
    const notice = paused ? "paused" : "resumed";
    const back =
      one(form, "back") === "detail"
        ? `/dashboard/destinations/${encodeURIComponent(id)}?notice=${notice}`
        : `/dashboard/destinations?notice=${notice}`;
    return c.redirect(back, 303);
  });
}

destinationRoutes.post("/:id/rotate-secret", async (c) => {
  const id = c.req.param("id");
  const { secret } = await rotateDestinationSecret(c.env, id, actorOf(c));
  return c.html(
    DestinationPage({
      destination: await destinationDetail(c.env, id),
      secret,
      notice: "Secret rotated: the old one keeps signing beside the new one for 24 hours.",
    }),
  );
});

destinationRoutes.get("/:id/delete", async (c) =>
  c.html(DeleteDestinationPage({ destination: await destinationDetail(c.env, c.req.param("id")) })),
);

destinationRoutes.post("/:id/delete", async (c) => {
  await removeDestination(c.env, c.req.param("id"), actorOf(c));
  return c.redirect("/dashboard/destinations?notice=deleted", 303);
});

destinationRoutes.post("/:id/replay", async (c) => {
  const id = c.req.param("id");
  const form = await readForm(c.req);
  try {
    const { limit, cursor, ...filter } = parseInput(replayForm, form);
    const result = await replayToDestination(c.env, id, { ...filter, limit, cursor }, actorOf(c), c.executionCtx);
    return c.redirect(`/dashboard/destinations/${encodeURIComponent(id)}?replayed=${result.replayed}`, 303);
  } catch (err) {
    const issues = issuesOf(err);
    return c.html(DestinationPage({ destination: await destinationDetail(c.env, id), issues }), 400);
  }
});
