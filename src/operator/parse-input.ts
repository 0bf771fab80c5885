import type { GenericSchema, InferOutput } from "valibot";
import { ApiError } from "../errors/api-error";
import { validatePayload } from "../webhooks/validate-payload";

/** An operator's input (query, form or JSON body) parsed by its schema; 400 `invalid_request` with every issue. */
export function parseInput<S extends GenericSchema>(schema: S, value: unknown): InferOutput<S> {
  const parsed = validatePayload(schema, value);
  if (!parsed.ok) throw new ApiError("invalid_request", parsed.issues);
  return parsed.output as InferOutput<S>;
}
