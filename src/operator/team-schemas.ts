// The inputs and answers of the team routes (API keys and the audit log): the API validates with
// these, the OpenAPI document is generated from them, and the core's result types come from them.
import * as v from "valibot";
import { AUDIT_ACTIONS } from "../audit/audit-actions";
import { ROLES } from "../auth/roles";
import { AUDIT_KEY } from "./cursor";
import { cursorOf, DEFAULT_LIMIT, isoTime, limitParam } from "./query-schemas";

export const createKeyBody = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.nonEmpty("Name the key (who or what holds it)."), v.maxLength(100)),
  roles: v.pipe(
    v.array(v.picklist(ROLES)),
    v.nonEmpty("Give the key at least one role."),
    v.description(
      "read: events, shipments, destinations, stats; metrics: /metrics only; operate: read plus replays, quarantine retry, pause and resume; admin: everything.",
    ),
  ),
});
export type CreateKeyRequest = v.InferOutput<typeof createKeyBody>;

export const auditQuery = v.strictObject({
  actor: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty(),
      v.maxLength(300),
      v.description("admin_token, key:<id>, access:<email> or system"),
    ),
  ),
  action: v.optional(v.picklist(AUDIT_ACTIONS)),
  target: v.optional(v.pipe(v.string(), v.nonEmpty(), v.maxLength(300))),
  since: v.optional(isoTime("Entries at or after this time (UTC ISO 8601).")),
  until: v.optional(isoTime("Entries before this time (UTC ISO 8601).")),
  limit: limitParam(DEFAULT_LIMIT),
  cursor: v.optional(cursorOf(AUDIT_KEY)),
});
export type AuditQuery = v.InferOutput<typeof auditQuery>;

export const signInFailuresQuery = v.strictObject({
  since: v.optional(isoTime("Hours at or after this time (UTC ISO 8601); default: 7 days ago.")),
});

export const apiKeySchema = v.object({
  id: v.string(),
  name: v.string(),
  roles: v.array(v.picklist(ROLES)),
  prefix: v.pipe(v.string(), v.description("The key's first characters, to recognise it.")),
  created_at: v.string(),
  created_by: v.string(),
  last_used_at: v.pipe(v.nullable(v.string()), v.description("Recorded at most once a minute per key.")),
  revoked_at: v.nullable(v.string()),
});
export type ApiKey = v.InferOutput<typeof apiKeySchema>;
export const apiKeyListSchema = v.object({ keys: v.array(apiKeySchema) });
export const createdKeySchema = v.object({
  ...apiKeySchema.entries,
  key: v.pipe(v.string(), v.description("The key, shown this once: send it as `Authorization: Bearer <key>`.")),
});
export type CreatedKey = v.InferOutput<typeof createdKeySchema>;

export const auditEntrySchema = v.object({
  seq: v.number(),
  at: v.string(),
  actor: v.string(),
  actor_name: v.string(),
  action: v.picklist(AUDIT_ACTIONS),
  target: v.nullable(v.string()),
  changes: v.nullable(v.record(v.string(), v.unknown())),
  outcome: v.pipe(v.string(), v.description("`ok`, or the error code the action was answered with.")),
});
export type AuditEntryView = v.InferOutput<typeof auditEntrySchema>;
export const auditPageSchema = v.object({ entries: v.array(auditEntrySchema), next_cursor: v.nullable(v.string()) });
export type AuditPage = v.InferOutput<typeof auditPageSchema>;

export const signInFailuresSchema = v.object({
  hours: v.array(
    v.object({
      hour: v.string(),
      reason: v.pipe(
        v.string(),
        v.description("unauthorized, sign_in_failed, unknown_key, key_revoked, access_refused or missing_role"),
      ),
      status: v.number(),
      count: v.number(),
    }),
  ),
});
export type SignInFailures = v.InferOutput<typeof signInFailuresSchema>;
