import { ApiError } from "../errors/api-error";
import { errorText } from "../errors/error-text";

/** A D1 failure becomes 503: nothing was accepted and the carrier will retry. */
export async function withStorage<R>(write: () => Promise<R>): Promise<R> {
  try {
    return await write();
  } catch (err) {
    console.error(JSON.stringify({ msg: "storage_failed", error: errorText(err) }));
    throw new ApiError("storage_unavailable");
  }
}
