import type { PostmenPayload } from "./postmen-payload-schema";

/**
 * Every Postmen webhook reports an API job's outcome. It succeeded when `meta.code` is 200 and
 * `data.status` is not `failed`; anything else (4xxx errors, 4713 partial rate failures, even
 * 3001 "still processing") is not a success.
 */
export function postmenJobSucceeded(p: PostmenPayload): boolean {
  return p.meta.code === 200 && p.data.status !== "failed";
}
