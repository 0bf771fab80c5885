import { type BaseIssue, type GenericSchema, getDotPath, safeParse } from "valibot";
import type { Issue } from "../errors/api-error";

export type Validation<T> = { ok: true; output: T } | { ok: false; issues: Issue[] };

/** Runs a carrier's schema and turns valibot's issues into `{ path, message }` pairs. */
export function validatePayload<T>(schema: GenericSchema<unknown, T>, value: unknown): Validation<T> {
  const result = safeParse(schema, value);
  if (result.success) return { ok: true, output: result.output };
  return { ok: false, issues: publicIssues(result.issues) };
}

/** valibot's issues as the error answer lists them: a dot path (`$` for the whole value) and the message. */
export function publicIssues(issues: readonly BaseIssue<unknown>[]): Issue[] {
  return issues.map((issue) => ({ path: getDotPath(issue) ?? "$", message: issue.message }));
}
