// Builds the OpenAPI document from api-description.ts. Runs at build time (`npm run openapi`) and in
// a test that checks the committed public/api/openapi.json is current; the Worker never loads it.
import { type JsonSchema, toJsonSchema, toJsonSchemaDefs } from "@valibot/to-json-schema";
import type { GenericSchema } from "valibot";
import { ROUTE_ROLES } from "../auth/route-roles";
import { errorSchema, eventSchema, shipmentRowSchema } from "../operator/response-schemas";
import { API_ROUTES, type RouteDescription } from "./api-description";

// Named once under components.schemas and referred to elsewhere.
const DEFINITIONS = { Event: eventSchema, ShipmentRow: shipmentRowSchema, Error: errorSchema };

function convert(schema: GenericSchema, typeMode: "input" | "output"): JsonSchema {
  const json = toJsonSchema(schema, {
    target: "draft-2020-12",
    typeMode,
    errorMode: "ignore",
    definitions: DEFINITIONS,
  });
  const { $schema: _schema, $defs: _defs, ...rest } = json;
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
}

const errorRef = { $ref: "#/components/schemas/Error" };
const jsonContent = (schema: JsonSchema) => ({ "application/json": { schema } });

/** The role a route needs, as src/auth/route-roles.ts has it, in words. */
function roleText(route: RouteDescription): string {
  const rule = ROUTE_ROLES[`${route.method.toUpperCase()} /api${route.path.replace(/\{(\w+)\}/g, ":$1")}`];
  if (rule === undefined) throw new Error(`no role for ${route.method} ${route.path} in src/auth/route-roles.ts`);
  return typeof rule === "function" ? "operate for `paused` alone, admin for any other field" : rule;
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    for (const [name, entry] of Object.entries(route.query?.entries ?? {})) {
      const { description, ...schema } = convert(entry as GenericSchema, "input");
      const required = entry.type !== "optional";
      parameters.push({ name, in: "query", required, ...(description ? { description } : {}), schema } as never);
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      if (status === "204") {
        responses[status] = { description: r.description };
        continue;
      }
      const content = r.schema ? jsonContent(convert(r.schema, "output")) : jsonContent(errorRef);
      if (r.csv) Object.assign(content, { "text/csv": { schema: { type: "string" } } });
      responses[status] = { description: r.description, content };
    }
    if (route.query || route.body) {
      responses[400] = { description: "`invalid_request`: the issues", content: jsonContent(errorRef) };
    }
    responses[401] = { description: "`unauthorized`: no or a wrong bearer token", content: jsonContent(errorRef) };
    const role = roleText(route);
    responses[403] = {
      description: `\`missing_role\`: the credential lacks the role (\`required_role\` names it): ${role}`,
      content: jsonContent(errorRef),
    };
    const operation: Record<string, unknown> = { summary: route.summary, "x-required-role": role };
    if (route.description) operation.description = route.description;
    if (parameters.length) operation.parameters = parameters;
    if (route.body) {
      operation.requestBody = { required: !route.optionalBody, content: jsonContent(convert(route.body, "input")) };
    }
    operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
    paths[route.path] = { ...paths[route.path], [route.method]: operation };
  }
  const components = Object.fromEntries(
    Object.entries(toJsonSchemaDefs(DEFINITIONS, { target: "draft-2020-12", typeMode: "output", errorMode: "ignore" })),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "parcelhook operator API",
      version: "1",
      description:
        "List, inspect and replay carrier events; quarantine, shipments, stats, destinations, API keys and " +
        "the audit log. Every call needs `Authorization: Bearer <ADMIN_TOKEN or an API key>` (or a Cloudflare " +
        "Access sign-in, docs/access.md); each operation's `x-required-role` names the role it needs: read, " +
        "metrics, operate or admin (admin holds every role, operate holds read).",
    },
    servers: [{ url: "/api" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: JSON.parse(JSON.stringify(components).replaceAll('"#/$defs/', '"#/components/schemas/')),
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
  };
}
